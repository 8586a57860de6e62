import type { CallContext } from '../../platform/call-context.js';
import { pickRoute, type Split } from '../deploy/index.js';
import type { PermissionDecider } from '../policy/index.js';
import { v2DatatypeOf } from './datatypes.js';
import {
  environmentNotServed,
  inferenceFailed,
  modelNotReady,
  modelNotServed,
  wrongModelKind,
} from './gateway.errors.js';
import { createChat } from './gateway-chat.js';
import { type GatewayMetrics, unknownModel } from './gateway-metrics.port.js';
import { type GuardCall, type GuardPipeline, runAdmit, runAfter, runBefore } from './guard-pipeline.js';
import { defaultGuardPolicy, fixedGuardPolicy, type GuardPolicySource } from './guard-policy.js';
import { encodeTensor, type InferRequest, parseInferRequest, type ResponseTensor } from './infer-request.js';
import type { Session, TensorMeta, UpstreamStatus } from './runtime.port.js';
import { createServingStats, type ServingStats } from './serving-stats.js';
import {
  createServingTable,
  type ModelStatus,
  type Served,
  type ServingTableDeps,
  type Slot,
} from './serving-table.js';
import { timedGuards } from './timed-guards.js';
import { answerUpstreamFailure } from './upstream-failure.js';

export type { ModelStatus, SlotStatus } from './serving-table.js';

export interface GatewayDeps extends ServingTableDeps {
  /** False when the environment is not configured: nothing is followed or served (default true). */
  enabled?: boolean;
  /** Guards on the inference path, in order. */
  guards?: GuardPipeline;
  /** Loads, unloads and each guard's time (default: not measured). */
  metrics?: Pick<GatewayMetrics, 'modelLoad' | 'modelUnloaded' | 'guardTime'>;
  /** Each deployment's guard policy (default: the defaults for every deployment). */
  policies?: GuardPolicySource;
  maxRows: number;
  /** Bounds the elements one input may declare (the body cannot carry more). */
  maxBodyBytes: number;
  /** Shadow copies running at once; a copy beyond it is dropped (default 4). */
  shadowConcurrency?: number;
  /** The per-minute rollup the transport feeds; its clock runs while the gateway does (default: an empty one). */
  stats?: Pick<ServingStats, 'read' | 'start' | 'stop'>;
}

/** Makes a V2 request body from the signature of the model that will serve it (V1 `instances`, say). */
export type BodyOf = (model: { inputs: readonly TensorMeta[]; outputs: readonly TensorMeta[] }) => unknown;

/** A model's deployment in an environment, as an inference permission check names it. */
export type InferenceTarget = { type: 'deployment'; environment: string; model: string };

/** The header naming the digest (sha256:…) of the model version that answered. */
export const digestHeader = 'x-warden-model-digest';

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
 * The inference gateway: follows the deploy module's live state for one environment (the serving table),
 * and answers V2 requests on the verified sessions it holds, through the guard pipeline.
 */
export function createGateway(deps: GatewayDeps) {
  const { environment, logger, access } = deps;
  const guards = deps.metrics ? timedGuards(deps.guards ?? [], deps.metrics) : (deps.guards ?? []);
  const policies = deps.policies ?? fixedGuardPolicy(defaultGuardPolicy({ maxRows: deps.maxRows }));
  const shadowLimit = deps.shadowConcurrency ?? 4;
  const serving = createServingTable(deps);
  const stats = deps.stats ?? createServingStats();
  const { label } = serving;
  let shadowsRunning = 0;

  const servedNamed = (name: string): Served | null => {
    const one = serving.get(name);
    return one && (one.stable || one.candidate || one.refused) ? one : null;
  };
  const servedOr404 = (name: string): Served => {
    const one = servedNamed(name);
    if (!one) throw modelNotServed(name);
    return one;
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

  /**
   * Allowed decisions, remembered per principal object and served entry: the authentication cache hands out
   * the same principal for at most a second, and a change of the live state replaces the entry, so a
   * remembered "allowed" never outlives the roles, teams and model it was decided on. Denials are not
   * remembered (each one is decided and audited).
   */
  const allowed = new WeakMap<object, WeakSet<Served>>();

  async function authorize(ctx: CallContext, name: string): Promise<Served> {
    const served = servedOr404(name);
    if (allowed.get(ctx.principal)?.has(served)) return served;
    await access.require(ctx, 'inference:invoke', resourceOf(served));
    const seen = allowed.get(ctx.principal);
    if (seen) seen.add(served);
    else allowed.set(ctx.principal, new WeakSet([served]));
    return served;
  }

  /** The answering slot: a pinned version, or the split (sticky per principal; none with no candidate). */
  function routeOf(ctx: CallContext, served: Served, name: string, version?: string) {
    const owner = served.model.owner;
    if (version !== undefined) return { owner, slot: slotByVersion(served, version), mirrorSlot: null };
    const stable = served.stable?.lease && !served.candidate?.lease ? served.stable : null;
    if (stable) return { owner, slot: stable, mirrorSlot: null };
    const routing = splitOf(served);
    if (!routing) throw modelNotReady(name);
    const picked = pickRoute(routing.split, name, ctx.principal.id);
    const slot = routing.slots.get(picked.serve) as Slot;
    return { owner, slot, mirrorSlot: picked.mirror ? (routing.slots.get(picked.mirror) ?? null) : null };
  }

  const runtimeOf = (name: string) => deps.runtimeFor?.(name) ?? deps.runtime;

  /** Brings an upstream session's inputs and outputs up to date; an upstream that fails answers 502/503/504. */
  async function prepared(session: Session, name: string, headers: Map<string, string>) {
    if (!session.prepare) return;
    try {
      await session.prepare();
    } catch (err) {
      throw answerUpstreamFailure(err, name, headers) ?? err;
    }
  }

  const chat = createChat({
    environment,
    guards,
    policies,
    logger,
    label,
    digestHeader,
    route: async (ctx, name) => routeOf(ctx, await authorize(ctx, name), name),
  });

  return {
    environment,
    platform: deps.runtime.platform,
    /** Starts following the live state, and the serving statistics' clock (idempotent). */
    start(): void {
      stats.start();
      if (deps.enabled === false) return;
      policies.start?.();
      serving.start();
    },
    /** Stops following and releases the table's sessions (running requests finish). */
    stop: () => {
      stats.stop();
      policies.stop?.();
      return serving.stop();
    },
    /** True once the first live state is in hand (server readiness). */
    ready: serving.ready,
    /** True when `name` is a model the live state names (bounds the metrics' model label). */
    serves: (name: string): boolean => serving.get(name) !== undefined,
    /** The revision of the live state the table was built from. */
    revision: serving.revision,

    /** The model's metadata, from the loaded session's inputs and outputs. */
    async metadata(ctx: CallContext, name: string, version?: string) {
      const served = await authorize(ctx, name);
      const slot = version === undefined ? served.stable : slotByVersion(served, version);
      const session = slot?.lease?.session;
      if (!slot || !session) throw modelNotReady(name);
      await prepared(session, name, new Map());
      const versions = [served.stable, served.candidate?.mode === 'canary' ? served.candidate : null]
        .filter((s): s is Slot => s?.lease != null)
        .map((s) => String(s.version));
      return {
        digest: slot.digest,
        body: {
          name,
          versions,
          platform: session.platform ?? runtimeOf(name).platform,
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

    /** Warden's view of a served model; an upstream's breaker state too (never its address or credentials). */
    async status(ctx: CallContext, name: string): Promise<ModelStatus & { upstream?: UpstreamStatus }> {
      const status = serving.statusOf(await authorize(ctx, name));
      const upstream = deps.runtimeFor?.(name)?.status?.();
      return upstream ? { ...status, upstream } : status;
    },

    /** One OpenAI-style chat completion on a deployed chat model (see gateway-chat.ts). */
    chat,

    /** "May the caller call this model?", decided as `infer` decides it: only on what this gateway serves. */
    permissions: {
      actions: { deployment: ['inference:invoke'] },
      async allows(ctx, action, target) {
        const served = target.environment === environment ? servedNamed(target.model) : null;
        return served !== null && access.allows(ctx, action, resourceOf(served));
      },
    } satisfies PermissionDecider<InferenceTarget>,

    /**
     * What this process serves of an environment: every model the caller may read (`deploy:read` on its
     * deployment), loaded or refused and why. Another environment is not this gateway's to describe.
     */
    async serving(ctx: CallContext, asked: string) {
      await access.require(ctx, 'deploy:environment:list', { type: 'Registry' });
      if (asked !== environment) throw environmentNotServed(asked, environment);
      const models = serving
        .list()
        .filter((one) => access.allows(ctx, 'deploy:read', resourceOf(one)))
        .map((one) => serving.statusOf(one));
      return { environment, ready: serving.ready(), revision: serving.revision(), models };
    },

    /**
     * This process's per-minute figures for the last `minutes` minutes, for the models `serving` shows the
     * caller (or the one named). Requests naming no served model (`_unknown`) are shown only to those who
     * may read the metrics, where they are counted for every team alike.
     */
    async stats(ctx: CallContext, asked: string, query: { model?: string; minutes: number }) {
      await access.require(ctx, 'deploy:environment:list', { type: 'Registry' });
      if (asked !== environment) throw environmentNotServed(asked, environment);
      const wanted = (name: string) => query.model === undefined || query.model === name;
      const names = serving
        .list()
        .filter((one) => wanted(one.model.name) && access.allows(ctx, 'deploy:read', resourceOf(one)))
        .map((one) => one.model.name);
      if (wanted(unknownModel) && access.allows(ctx, 'metrics:read', { type: 'Registry' }))
        names.push(unknownModel);
      return { environment, ...stats.read(names, query.minutes) };
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
      /** The parsed V2 body, or a function making it from the serving model's signature (another protocol's translation). */
      body: unknown,
      /**
       * Response headers for the transport to send, success or refusal: the digest that answers, as soon as
       * it is chosen, and what guards add (rate-limit state).
       */
      headers: Map<string, string> = new Map(),
    ): Promise<InferResult> {
      // Awaited only when asynchronous: authorizing a principal not yet allowed, guards that answer later.
      const known = servedOr404(name);
      const served = allowed.get(ctx.principal)?.has(known) ? known : await authorize(ctx, name);
      const { owner, slot, mirrorSlot } = routeOf(ctx, served, name, version);
      const lease = slot.lease;
      if (!lease?.acquire()) throw modelNotReady(name);
      headers.set(digestHeader, slot.digest);
      try {
        const { session } = lease;
        const call: GuardCall = {
          ctx,
          environment,
          model: name,
          owner,
          version: slot.version,
          digest: slot.digest,
          policy: policies.policyFor(name),
          headers,
        };
        if (session.chat) throw wrongModelKind(name, 'tensor');
        const admitting = runAdmit(guards, call);
        if (admitting) await admitting;
        if (session.prepare) await prepared(session, name, headers);
        const parsed = parseInferRequest(
          typeof body === 'function' ? (body as BodyOf)(session) : body,
          { inputs: session.inputs, outputs: session.outputs },
          {
            maxRows: call.policy.validation.maxRows,
            maxStringLength: call.policy.validation.maxStringLength,
            maxElements: deps.maxBodyBytes,
          },
        );
        const before = runBefore(guards, call, parsed);
        const request = before instanceof Promise ? await before : before;
        let results: Awaited<ReturnType<typeof session.run>>;
        try {
          results = await session.run(request.inputs, request.outputs ?? undefined);
        } catch (err) {
          const upstream = answerUpstreamFailure(err, name, headers);
          // An upstream's failure is logged by its reason only: its message is ours, never the upstream's body.
          logger.error(
            {
              err: upstream ? { code: upstream.code, reason: upstream.message } : err,
              ...label(name, slot),
              requestId: ctx.requestId,
            },
            'inference failed',
          );
          throw upstream ?? inferenceFailed();
        }
        const names = request.outputs ?? session.outputs.map((o) => o.name);
        const encoded = names.flatMap((n) => {
          const t = results[n];
          return t ? [encodeTensor(n, t)] : [];
        });
        const after = runAfter(guards, call, request, encoded);
        const outputs = after instanceof Promise ? await after : after;
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
