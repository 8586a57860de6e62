import type { Logger } from '../../platform/logger.js';
import { createExtractionWatch, type ExtractionWatch } from '../guards/index.js';
import { fromHalf } from './datatypes.js';
import { extractionThrottled } from './gateway.errors.js';
import type { GuardEvent } from './gateway.events.js';
import type { GuardCall, InferenceGuard } from './guard-pipeline.js';
import type { GuardPolicy } from './guard-policy.js';
import type { InferRequest } from './infer-request.js';

/** Rows wider than this are not watched (the watch's cost grows with the width). */
const MAX_FEATURES = 1024;

/** One principal's standing on one deployment, as operators see it. */
export interface ExtractionAlertView {
  principal: string;
  state: 'suspect' | 'throttled';
  stage: number;
  rateFactor: number;
  signals: string[];
  reason: string;
  /** When this episode's first alert was raised, and the latest. */
  since: string;
  lastAlertAt: string;
}

interface Watched {
  key: string;
  watch: ExtractionWatch;
  /** Principals not back to normal: their current episode. */
  episodes: Map<string, ExtractionAlertView & { credit: number }>;
}

/** The numeric features of each row: every numeric input's row, in input-name order; null when unusable. */
export function featureRows(request: InferRequest): Float64Array[] | null {
  const names = Object.keys(request.inputs).sort();
  const parts: { data: ArrayLike<number | bigint>; width: number; half: boolean }[] = [];
  let rows = -1;
  for (const name of names) {
    const t = request.inputs[name];
    if (!t || t.type === 'string') continue;
    const n = t.dims.length === 0 ? 1 : (t.dims[0] as number);
    const width = t.dims.length <= 1 ? 1 : t.dims.slice(1).reduce((a, b) => a * b, 1);
    if (rows >= 0 && n !== rows) return null;
    rows = n;
    parts.push({ data: t.data as ArrayLike<number | bigint>, width, half: t.type === 'float16' });
  }
  const width = parts.reduce((a, p) => a + p.width, 0);
  if (rows <= 0 || width === 0 || width > MAX_FEATURES) return null;
  const out: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Float64Array(width);
    let at = 0;
    for (const p of parts)
      for (let j = 0; j < p.width; j++) {
        const v = p.data[r * p.width + j] as number | bigint;
        row[at++] = p.half ? fromHalf(v as number) : Number(v);
      }
    out.push(row);
  }
  return out;
}

/**
 * The model-extraction watch on the inference path: one watch per deployment, fed with every row a
 * principal sends. An escalation is audited once per episode (from the first alert until the principal is
 * normal again); while a principal is throttled, `admit` serves only its rate factor's share of its
 * requests (½ … 1/16) and refuses the rest with 429 and Retry-After.
 */
export function createExtractionGuard(deps: {
  logger: Logger;
  /** Writes the alert to the audit log (the gateway's `recordAlone`). */
  record(event: GuardEvent): Promise<void>;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const byModel = new Map<string, Watched>();

  // A policy section is replaced, never changed, when its revision moves: its key is worked out once.
  const keys = new WeakMap<GuardPolicy['extraction'], string>();
  function watchedFor(model: string, section: GuardPolicy['extraction']): Watched {
    let key = keys.get(section);
    if (key === undefined) {
      key = JSON.stringify([section.config, section.profile]);
      keys.set(section, key);
    }
    const held = byModel.get(model);
    if (held?.key === key) return held;
    // New settings: the old watch's state was measured against the old profile, so it starts over.
    const watch = createExtractionWatch({
      ...section.config,
      ...(section.profile ? { profiles: { [model]: section.profile } } : {}),
    });
    const fresh = { key, watch, episodes: new Map() };
    byModel.set(model, fresh);
    return fresh;
  }

  /** Feeds the watch; a promise only when an alert is being written to the audit log. */
  function observe(call: GuardCall, request: InferRequest): Promise<void> | undefined {
    const section = call.policy.extraction;
    if (!section.enabled) return;
    const rows = featureRows(request);
    if (!rows) return;
    const watched = watchedFor(call.model, section);
    const principal = call.ctx.principal.id;
    const at = now();
    let recording: Promise<void>[] | undefined;
    for (const row of rows) {
      let verdict: ReturnType<ExtractionWatch['observe']>;
      try {
        verdict = watched.watch.observe(principal, call.model, row, at);
      } catch (err) {
        deps.logger.debug({ err, model: call.model }, 'a query the extraction watch cannot use');
        break;
      }
      const episode = watched.episodes.get(principal);
      if (verdict.state === 'normal') {
        watched.episodes.delete(principal);
        continue;
      }
      const alert = verdict.alert;
      if (!alert) continue;
      const time = new Date(at).toISOString();
      const view = {
        principal,
        state: verdict.state,
        stage: verdict.stage,
        rateFactor: verdict.rateFactor,
        signals: [...alert.signals],
        reason: alert.reason,
        since: episode?.since ?? time,
        lastAlertAt: time,
        credit: episode?.credit ?? 0,
      };
      watched.episodes.set(principal, view);
      deps.logger.warn(
        { environment: call.environment, model: call.model, principal, to: alert.to, stage: alert.stage },
        'model-extraction alert',
      );
      if (episode) continue;
      // The request waits for the write (as before), but later rows are watched meanwhile.
      recording ??= [];
      recording.push(
        deps
          .record({
            type: 'gateway.extraction_alert',
            environment: call.environment,
            model: call.model,
            owner: call.owner,
            principal,
            from: alert.from,
            to: alert.to,
            stage: alert.stage,
            rateFactor: verdict.rateFactor,
            signals: alert.signals,
            reason: alert.reason,
          })
          .catch((err: unknown) => deps.logger.error({ err }, 'could not record an extraction alert')),
      );
    }
    return recording && Promise.all(recording).then(() => undefined);
  }

  const guard: InferenceGuard & { alerts(model: string): ExtractionAlertView[] } = {
    name: 'extraction',
    admit(call) {
      if (!call.policy.extraction.enabled) return;
      const watched = byModel.get(call.model);
      const episode = watched?.episodes.get(call.ctx.principal.id);
      if (!watched || !episode) return;
      const state = watched.watch.stateOf(call.ctx.principal.id, call.model, now());
      if (!state || state.state === 'normal') {
        watched.episodes.delete(call.ctx.principal.id);
        return;
      }
      Object.assign(episode, { state: state.state, stage: state.stage, rateFactor: state.rateFactor });
      if (state.state !== 'throttled') return;
      // Serves exactly `rateFactor` of the requests: each adds its share, one is served per whole credit.
      episode.credit += state.rateFactor;
      if (episode.credit >= 1) {
        episode.credit -= 1;
        return;
      }
      call.headers.set('retry-after', String(Math.max(1, Math.ceil(1 / state.rateFactor))));
      throw extractionThrottled(call.model, state.rateFactor);
    },
    beforeRun(call, request) {
      const recording = observe(call, request);
      return recording?.then(() => undefined);
    },
    /** The principals of a deployment not back to normal, worst first. */
    alerts(model) {
      const episodes = byModel.get(model)?.episodes;
      return [...(episodes?.values() ?? [])]
        .map(({ credit: _c, ...view }) => view)
        .sort((a, b) => b.stage - a.stage || (a.state === b.state ? 0 : a.state === 'throttled' ? -1 : 1));
    },
  };
  return guard;
}

export type ExtractionGuard = ReturnType<typeof createExtractionGuard>;
