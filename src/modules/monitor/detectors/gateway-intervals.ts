import type { DeployStore } from '../../deploy/index.js';
import { type ServingStats, type StatsFigures, statsMinutes } from '../../gateway/index.js';
import type { RegistryStore } from '../../registry/index.js';
import type { IntervalSample } from '../alerts/alert-engine.js';

export interface GatewayIntervalDeps {
  /** The environment the gateway serves. */
  environment: string;
  read: {
    deploy: Pick<DeployStore, 'listLive'>;
    registry: Pick<RegistryStore, 'findModelById' | 'findVersionById'>;
  };
  stats: Pick<ServingStats, 'read'>;
  /** Principals the extraction watch holds suspect or throttled for a model now. */
  extractionAlerts: (model: string) => number;
  /**
   * Failed authentications of the whole process so far (a failed authentication names no model: each
   * served deployment reads the gateway's rate).
   */
  authFailures: () => number;
}

const rateLimitedCode = 'gateway_rate_limited';
const blockedCode = 'gateway_input_blocked';

/** The complete minutes not read yet (the last complete one alone at the first read), summed. */
function unreadMinutes(minutes: readonly (StatsFigures & { at: string })[], after: number | undefined) {
  const complete = minutes.slice(0, -1);
  const fresh = after === undefined ? complete.slice(-1) : complete.filter((m) => Date.parse(m.at) > after);
  const last = fresh.at(-1);
  if (!last) return null;
  const sum = (f: (m: StatsFigures) => number) => fresh.reduce((n, m) => n + f(m), 0);
  const p99s = fresh.flatMap((m) => (m.latencyMs ? [m.latencyMs.p99] : []));
  return {
    through: Date.parse(last.at),
    minutes: fresh.length,
    requests: sum((m) => m.requests),
    errors: sum((m) => m.status['5xx']),
    // The worst minute's: a p99 is not summed, and one slow minute is what the rule looks for.
    p99LatencyMs: p99s.length > 0 ? Math.max(...p99s) : null,
    rateLimited: sum((m) => m.refusals[rateLimitedCode] ?? 0),
    screeningBlocks: sum((m) => m.refusals[blockedCode] ?? 0),
  };
}

/**
 * The gateway's counters of each deployment it serves, per interval: every complete minute since the
 * previous read of that model (each minute is read once, whenever the calls come), with requests, 5xx,
 * p99 latency and refusals from the serving stats (every digest of the model together, attributed to the
 * canary when one is live, else to the stable version), the extraction watch's alerts, and the failed
 * authentications since the previous call. A model without a new complete minute gets no sample. Nothing
 * is taken as read when the call fails (the deployments unreadable): the next call reads it.
 */
export function createGatewayIntervals(deps: GatewayIntervalDeps) {
  let lastAuthFailures = deps.authFailures();
  const readThrough = new Map<string, number>();
  return {
    async samples(_now: Date): Promise<IntervalSample[]> {
      const failures = deps.authFailures();
      const authFailures = Math.max(0, failures - lastAuthFailures);
      const samples: IntervalSample[] = [];
      const through = new Map<string, number>();
      const lives = await deps.read.deploy.listLive(deps.environment);
      for (const live of lives) {
        const slot = live.candidate ?? live.stable;
        if (!slot) continue;
        const model = await deps.read.registry.findModelById(live.modelId);
        const version = await deps.read.registry.findVersionById(slot.versionId);
        if (!model || !version) continue;
        const stats = deps.stats.read([model.name], statsMinutes).models[0];
        const interval = unreadMinutes(stats?.minutes ?? [], readThrough.get(model.name));
        if (!interval) continue;
        through.set(model.name, interval.through);
        samples.push({
          environment: deps.environment,
          model: model.name,
          version: version.number,
          digest: slot.digest,
          counters: {
            minutes: interval.minutes,
            requests: interval.requests,
            errors: interval.errors,
            p99LatencyMs: interval.p99LatencyMs,
            authFailures,
            rateLimited: interval.rateLimited,
            screeningBlocks: interval.screeningBlocks,
            extractionAlerts: deps.extractionAlerts(model.name),
          },
        });
      }
      for (const [name, at] of through) readThrough.set(name, at);
      // Failed authentications stay counted for the next interval until some deployment reads them.
      if (samples.length > 0 || lives.length === 0) lastAuthFailures = failures;
      return samples;
    },
  };
}
