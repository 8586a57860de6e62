import type { CallContext } from '../../platform/call-context.js';
import { type DeployService, type LiveView, pickRoute, type Split } from '../deploy/index.js';
import type { Access } from '../policy/index.js';
import type { ModelRecord } from '../registry/index.js';
import { v2DatatypeOf } from './datatypes.js';
import { inferenceFailed, modelNotReady, modelNotServed } from './gateway.errors.js';
import type { GatewayEvent, LoadCheck } from './gateway.events.js';
import { type GuardCall, type GuardPipeline, runAfter, runBefore } from './guard-pipeline.js';
import { encodeTensor, type InferRequest, parseInferRequest, type ResponseTensor } from './infer-request.js';
import { type LoaderDeps, LoadRefused, loadVersion } from './model-loader.js';
import type { TensorMeta } from './runtime.port.js';
import { SessionLease } from './session-lease.js';

export interface GatewayDeps extends LoaderDeps {
  /** False when the environment is not configured: nothing is followed or served (default true). */
  enabled?: boolean;
  deploy: Pick<DeployService, 'changes'>;
  access: Access<GatewayEvent>;
  /** Guards on the inference path, in order (none yet in the core). */
  guards?: GuardPipeline;
  maxRows: number;
  /** Bounds the elements one input may declare (the body cannot carry more). */
  maxBodyBytes: number;
  /** How long one change-feed read waits before asking again (default 30 s). */
  feedWaitMs?: number;
  /** Shadow copies running at once; a copy beyond it is dropped (default 4). */
  shadowConcurrency?: number;
}

/** One deployed version as the gateway holds it: loaded, or refused and why. */
interface Slot {
  version: number;
  digest: string;
  lease: SessionLease | null;
  failure: { check: LoadCheck; reason: string } | null;
}

interface Served {
  model: ModelRecord;
  /** The stable version serving now (a refused new stable leaves the previous one here). */
  stable: Slot | null;
  candidate: (Slot & { mode: 'canary' | 'shadow'; percent: number }) | null;
  /** A stable version the live state names that could not be loaded (the previous one keeps serving). */
  refused: Slot | null;
}

export interface SlotStatus {
  version: number;
  digest: string;
  loaded: boolean;
  failure: { check: LoadCheck; reason: string } | null;
}

export interface ModelStatus {
  name: string;
  environment: string;
  ready: boolean;
  stable: SlotStatus | null;
  candidate: (SlotStatus & { mode: 'canary' | 'shadow'; percent: number }) | null;
  /** The live stable version the gateway refused to load, while an earlier one keeps serving. */
  refused: SlotStatus | null;
  revision: number;
}

export interface InferResult {
  digest: string;
  body: {
    model_name: string;
    model_version: string;
    id: string;
    parameters?: Record<string, unknown>;
    outputs: ResponseTensor[];
  };
}

const tensorMeta = (m: TensorMeta) => ({
  name: m.name,
  datatype: v2DatatypeOf(m.type),
  shape: (m.shape ?? []).map((d) => d ?? -1),
});

/**
 * The inference gateway: follows the deploy module's live state for one environment, keeps a verified
 * session of every version it serves, and answers V2 requests on them. A change to the live state loads
 * the new versions first and then swaps the routing table in one step: requests already running finish on
 * the sessions they hold, which are released after their last request.
 */
export function createGateway(deps: GatewayDeps) {
  const { environment, logger, access } = deps;
  const guards = deps.guards ?? [];
  const feedWaitMs = deps.feedWaitMs ?? 30_000;
  const shadowLimit = deps.shadowConcurrency ?? 4;
  let table = new Map<string, Served>();
  let revision = -1;
  let synced = false;
  let loop: Promise<void> | null = null;
  const stopping = new AbortController();
  let shadowsRunning = 0;

  const slotKey = (model: string, digest: string) => `${model}\0${digest}`;
  const label = (model: string, s: { version: number; digest: string }) => ({
    environment,
    model,
    version: s.version,
    digest: s.digest,
  });

  /** Loads one version, or says why not; the outcome is audited (a load is rare, and it is a trust decision). */
  async function load(model: ModelRecord, version: number, digest: string, slot: 'stable' | 'candidate') {
    const started = Date.now();
    const base = { environment, model: model.name, owner: model.owner, version, digest, slot };
    try {
      const { session } = await loadVersion(deps, model, version, digest);
      const lease = new SessionLease(session, logger, label(model.name, { version, digest }));
      const loadMs = Date.now() - started;
      try {
        await access.recordAlone(null, { type: 'gateway.loaded', ...base, loadMs });
      } catch (err) {
        lease.release();
        throw err;
      }
      logger.info({ ...base, loadMs }, 'model version loaded');
      return { version, digest, lease, failure: null };
    } catch (err) {
      const refused =
        err instanceof LoadRefused
          ? err
          : new LoadRefused('runtime', `load failed: ${(err as Error).message}`);
      const fields = { ...base, check: refused.check, reason: refused.reason };
      if (refused.check === 'format')
        logger.warn(fields, 'model version not served: no runtime for its format');
      else logger.error(fields, 'model version refused');
      // A format no runtime serves is not a fault of the bytes: shown, logged, not audited as a refusal.
      if (refused.check !== 'format')
        await access
          .recordAlone(null, {
            type: 'gateway.load_failed',
            ...base,
            check: refused.check,
            reason: refused.reason,
          })
          .catch((e: unknown) => logger.error({ err: e }, 'could not record a refused model load'));
      return { version, digest, lease: null, failure: { check: refused.check, reason: refused.reason } };
    }
  }

  /** Brings the table in line with a live view: loads what is new, keeps what is loaded, releases the rest. */
  async function reconcile(view: LiveView): Promise<void> {
    const current = table;
    const loaded = new Map<string, Slot>();
    for (const served of current.values())
      for (const s of [served.stable, served.candidate])
        if (s?.lease) loaded.set(slotKey(served.model.name, s.digest), s);
    const next = new Map<string, Served>();
    const reuse = (model: string, version: number, digest: string) => {
      const s = loaded.get(slotKey(model, digest));
      return s && s.version === version ? s : null;
    };
    for (const live of view.models) {
      if (stopping.signal.aborted) return;
      const model = await deps.read.registry.findModelByName(live.model);
      if (!model) continue;
      const before = current.get(live.model);
      let stable: Slot | null = null;
      let refused: Slot | null = null;
      if (live.stable) {
        const { version, digest } = live.stable;
        const got = reuse(live.model, version, digest) ?? (await load(model, version, digest, 'stable'));
        if (got.lease) stable = got;
        else {
          refused = got;
          // The previous stable keeps serving until a version that passes every check replaces it.
          stable = before?.stable?.lease ? before.stable : null;
        }
      }
      let candidate: Served['candidate'] = null;
      if (live.candidate) {
        const { version, digest, mode, percent } = live.candidate;
        const got = reuse(live.model, version, digest) ?? (await load(model, version, digest, 'candidate'));
        candidate = { ...got, mode, percent };
      }
      next.set(live.model, { model, stable, candidate, refused });
    }
    if (stopping.signal.aborted) {
      // Loaded for a table that will never serve: let them go.
      for (const served of next.values())
        for (const s of [served.stable, served.candidate])
          if (s?.lease && !loaded.has(slotKey(served.model.name, s.digest))) s.lease.release();
      return;
    }
    // Each lease held by the table is carried over once (the table's reference moves) or released once.
    const kept = new Set<SessionLease>();
    for (const served of next.values())
      for (const s of [served.stable, served.candidate]) if (s?.lease) kept.add(s.lease);
    table = next;
    revision = view.revision;
    const dropped = new Set<SessionLease>();
    for (const s of loaded.values()) if (s.lease && !kept.has(s.lease)) dropped.add(s.lease);
    for (const lease of dropped) lease.release();
  }

  async function follow(): Promise<void> {
    const signal = stopping.signal;
    let since = -1;
    let backoffMs = 250;
    while (!signal.aborted) {
      try {
        const view = await deps.deploy.changes(null, environment, since, since < 0 ? 0 : feedWaitMs, signal);
        if (signal.aborted) break;
        if (view.changed || !synced) await reconcile(view);
        synced = true;
        since = view.revision;
        backoffMs = 250;
      } catch (err) {
        if (signal.aborted) break;
        logger.error({ err, environment }, 'gateway could not read the live state; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  const servedOr404 = (name: string): Served => {
    const served = table.get(name);
    if (!served || (!served.stable && !served.candidate && !served.refused)) throw modelNotServed(name);
    return served;
  };

  const resourceOf = (served: Served) => ({
    type: 'Deployment' as const,
    model: { name: served.model.name, owner: served.model.owner, tags: served.model.tags },
    environment,
  });

  /** The slot a version number names: the stable or a canary (a shadow is never addressed). */
  const slotByVersion = (served: Served, version: string): Slot => {
    const n = /^[1-9][0-9]{0,9}$/.test(version) ? Number(version) : Number.NaN;
    if (served.stable?.version === n) return served.stable;
    if (served.candidate?.mode === 'canary' && served.candidate.version === n) return served.candidate;
    throw modelNotServed(served.model.name, version);
  };

  /** The split the routing uses: only sessions that are loaded take traffic. */
  const splitOf = (served: Served): { split: Split; slots: Map<string, Slot> } | null => {
    const slots = new Map<string, Slot>();
    const stable = served.stable?.lease ? served.stable : null;
    const candidate = served.candidate?.lease ? served.candidate : null;
    if (!stable) return null;
    slots.set(stable.digest, stable);
    if (candidate) slots.set(candidate.digest, candidate);
    return {
      split: {
        stable: stable.digest,
        candidate: candidate
          ? {
              digest: candidate.digest,
              mode: served.candidate?.mode ?? 'canary',
              percent: served.candidate?.percent ?? 0,
            }
          : null,
      },
      slots,
    };
  };

  /** Runs a discarded copy of a request on the shadow, never delaying or failing the caller. */
  function mirror(slot: Slot, call: GuardCall, request: InferRequest) {
    if (shadowsRunning >= shadowLimit || !slot.lease?.acquire()) return;
    const lease = slot.lease;
    shadowsRunning++;
    setImmediate(() => {
      lease.session
        .run(request.inputs, request.outputs ?? undefined)
        .catch((err: unknown) => logger.debug({ err, ...label(call.model, slot) }, 'shadow request failed'))
        .finally(() => {
          shadowsRunning--;
          lease.release();
        });
    });
  }

  function statusOf(served: Served): ModelStatus {
    const view = (s: Slot | null): SlotStatus | null =>
      s ? { version: s.version, digest: s.digest, loaded: s.lease !== null, failure: s.failure } : null;
    const candidate = served.candidate;
    return {
      name: served.model.name,
      environment,
      ready: served.stable?.lease != null,
      stable: view(served.stable),
      candidate: candidate
        ? { ...(view(candidate) as SlotStatus), mode: candidate.mode, percent: candidate.percent }
        : null,
      refused: view(served.refused),
      revision,
    };
  }

  async function authorize(ctx: CallContext, name: string): Promise<Served> {
    const served = servedOr404(name);
    await access.require(ctx, 'inference:invoke', resourceOf(served));
    return served;
  }

  return {
    environment,
    platform: deps.runtime.platform,
    /** Starts following the live state (idempotent). */
    start(): void {
      if (deps.enabled === false) return;
      loop ??= follow();
    },
    /** Stops following, waits for the loop, and releases the table's sessions (running requests finish). */
    async stop(): Promise<void> {
      stopping.abort();
      await loop;
      for (const served of table.values())
        for (const s of [served.stable, served.candidate]) s?.lease?.release();
      table = new Map();
    },
    /** True once the first live state is in hand (server readiness). */
    ready: () => synced && !stopping.signal.aborted,
    /** The revision of the live state the table was built from. */
    revision: () => revision,

    /** The model's metadata, from the loaded session's inputs and outputs. */
    async metadata(ctx: CallContext, name: string, version?: string) {
      const served = await authorize(ctx, name);
      const slot = version === undefined ? served.stable : slotByVersion(served, version);
      const session = slot?.lease?.session;
      if (!slot || !session) throw modelNotReady(name);
      const versions = [served.stable, served.candidate?.mode === 'canary' ? served.candidate : null]
        .filter((s): s is Slot => s?.lease != null)
        .map((s) => String(s.version));
      return {
        digest: slot.digest,
        body: {
          name,
          versions,
          platform: deps.runtime.platform,
          inputs: session.inputs.map(tensorMeta),
          outputs: session.outputs.map(tensorMeta),
        },
      };
    },

    async modelReady(ctx: CallContext, name: string, version?: string) {
      const served = await authorize(ctx, name);
      const slot = version === undefined ? served.stable : slotByVersion(served, version);
      return { digest: slot?.lease ? slot.digest : null, body: { name, ready: slot?.lease != null } };
    },

    async status(ctx: CallContext, name: string): Promise<ModelStatus> {
      return statusOf(await authorize(ctx, name));
    },

    /**
     * One inference: authorized on the deployment, routed (a pinned version, or the canary split, sticky
     * per principal), validated against the serving session's declared inputs, run through the guards,
     * answered; a shadow gets a copy afterwards.
     */
    async infer(
      ctx: CallContext,
      name: string,
      version: string | undefined,
      body: unknown,
      /** Told the digest that answers as soon as it is chosen (validation errors carry it too). */
      onDigest?: (digest: string) => void,
    ): Promise<InferResult> {
      const served = await authorize(ctx, name);
      let slot: Slot;
      let mirrorSlot: Slot | null = null;
      if (version !== undefined) slot = slotByVersion(served, version);
      else {
        const routing = splitOf(served);
        if (!routing) throw modelNotReady(name);
        const route = pickRoute(routing.split, name, ctx.principal.id);
        slot = routing.slots.get(route.serve) as Slot;
        mirrorSlot = route.mirror ? (routing.slots.get(route.mirror) ?? null) : null;
      }
      const lease = slot.lease;
      if (!lease?.acquire()) throw modelNotReady(name);
      onDigest?.(slot.digest);
      try {
        const { session } = lease;
        const parsed = parseInferRequest(
          body,
          { inputs: session.inputs, outputs: session.outputs },
          { maxRows: deps.maxRows, maxElements: deps.maxBodyBytes },
        );
        const call: GuardCall = { ctx, environment, model: name, version: slot.version, digest: slot.digest };
        const request = await runBefore(guards, call, parsed);
        let results: Awaited<ReturnType<typeof session.run>>;
        try {
          results = await session.run(request.inputs, request.outputs ?? undefined);
        } catch (err) {
          logger.error({ err, ...label(name, slot), requestId: ctx.requestId }, 'inference failed');
          throw inferenceFailed();
        }
        const names = request.outputs ?? session.outputs.map((o) => o.name);
        const encoded = names.flatMap((n) => {
          const t = results[n];
          return t ? [encodeTensor(n, t)] : [];
        });
        const outputs = await runAfter(guards, call, request, encoded);
        if (mirrorSlot) mirror(mirrorSlot, call, request);
        return {
          digest: slot.digest,
          body: {
            model_name: name,
            model_version: String(slot.version),
            id: request.id ?? ctx.requestId ?? '',
            ...(request.parameters ? { parameters: request.parameters } : {}),
            outputs,
          },
        };
      } finally {
        lease.release();
      }
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
