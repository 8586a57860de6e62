import type { CallContext } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import { deploymentAuthorizer, nextPolicyRevision } from '../deploy/index.js';
import type { Access, AccessStores } from '../policy/index.js';
import type { ModelRecord, RegistryStore } from '../registry/index.js';
import type { ExtractionAlertView } from './extraction-guard.js';
import type { GatewayEvent } from './gateway.events.js';
import { guardPolicyConflict, guardPolicyInvalid, guardPolicyReasonRequired } from './guard-policy.errors.js';
import { defaultGuardPolicy, type GuardPolicy } from './guard-policy.js';
import type { GuardPolicyRecord, GuardPolicyStore, GuardPolicyStores } from './guard-policy.ports.js';
import {
  applyGuardPolicy,
  type GuardPolicyDocument,
  guardStates,
  overriddenPaths,
  type PolicyBounds,
  parseGuardPolicyDocument,
  weakenings,
} from './guard-policy-document.js';

type PolicyStores = GuardPolicyStores & AccessStores & { registry: Pick<RegistryStore, 'findModelByName'> };

export interface GuardPolicyServiceDeps {
  uow: UnitOfWork<PolicyStores>;
  read: { guardPolicies: GuardPolicyStore; registry: Pick<RegistryStore, 'findModelByName'> };
  access: Access<GatewayEvent>;
  clock: Clock;
  /** The configured environments' names. */
  environments: readonly string[];
  bounds: PolicyBounds;
  /** Called after a change commits: this process's gateway reloads (the answer waits for it). */
  onChange?: () => Promise<void>;
  /** The gateway's extraction alerts: its environment, and the alerts of one of its deployments. */
  alerts?: { environment: string; of(model: string): ExtractionAlertView[] };
}

/** A deployment's guard policy as the API shows it. */
export interface GuardPolicyView {
  environment: string;
  model: string;
  /** The policy in force: the defaults with the stored document laid over them. */
  policy: GuardPolicy;
  /** What the operator set (`{}`: the defaults). */
  document: GuardPolicyDocument;
  /** The dotted paths the document sets. */
  overridden: string[];
  /** 0 when no policy was ever set. */
  revision: number;
  setBy: string | null;
  setByName: string | null;
  setAt: string | null;
  reason: string | null;
}

/**
 * Per-deployment guard policies: read, replace, reset. Every change is authorized on the deployment
 * (`gateway:configure`), validated strictly, and audited with what it turns on and off; a change that
 * weakens a guard needs a reason.
 */
export function createGuardPolicyService(deps: GuardPolicyServiceDeps) {
  const { uow, read, access, clock } = deps;
  const defaults = () => defaultGuardPolicy(deps.bounds);

  const target = deploymentAuthorizer({ environments: deps.environments, registry: read.registry, access });

  const viewOf = (environment: string, model: string, record: GuardPolicyRecord | null): GuardPolicyView => {
    const document = record?.document ?? {};
    return {
      environment,
      model,
      policy: applyGuardPolicy(defaults(), document),
      document,
      overridden: overriddenPaths(document),
      revision: record?.revision ?? 0,
      setBy: record?.setBy ?? null,
      setByName: record?.setByName ?? null,
      setAt: record?.setAt ?? null,
      reason: record?.reason ?? null,
    };
  };

  async function write(
    ctx: CallContext,
    model: ModelRecord,
    environment: string,
    document: GuardPolicyDocument,
    reason: string | null,
  ): Promise<GuardPolicyView> {
    const view = await uow.run(async (stores) => {
      const before = await stores.guardPolicies.find(environment, model.name);
      const record = nextPolicyRevision(
        before,
        { environment, model: model.name, document, reason, at: clock.now().toISOString() },
        ctx,
      );
      if (!(await stores.guardPolicies.save(record))) throw guardPolicyConflict(environment, model.name);
      const reset = Object.keys(document).length === 0;
      await access.record(stores, ctx, {
        type: reset ? 'gateway.policy_reset' : 'gateway.policy_set',
        environment,
        model: model.name,
        owner: model.owner,
        revision: record.revision,
        overridden: overriddenPaths(document),
        before: guardStates(applyGuardPolicy(defaults(), before?.document ?? {})),
        after: guardStates(applyGuardPolicy(defaults(), document)),
        weakens: weakenings(document),
        reason,
      });
      return viewOf(environment, model.name, record);
    });
    await deps.onChange?.();
    return view;
  }

  return {
    /**
     * The principals the extraction watch holds as suspect or throttled on a deployment (this process's
     * view: each gateway process watches the traffic it serves). Empty outside the gateway's environment.
     */
    async alerts(ctx: CallContext, environment: string, modelName: string) {
      const model = await target(ctx, environment, modelName, 'gateway:alerts:read');
      const items = deps.alerts?.environment === environment ? deps.alerts.of(model.name) : [];
      return { environment, model: model.name, items };
    },

    /** The policy in force for a deployment, what overrides the defaults, and who set it. */
    async show(ctx: CallContext, environment: string, modelName: string): Promise<GuardPolicyView> {
      const model = await target(ctx, environment, modelName, 'gateway:policy:read');
      return viewOf(environment, model.name, await read.guardPolicies.find(environment, model.name));
    },

    /** Replaces a deployment's policy; a policy that turns a guard off needs `enabled: false` and a reason. */
    async set(
      ctx: CallContext,
      environment: string,
      modelName: string,
      input: { policy: unknown; reason: string | null },
    ): Promise<GuardPolicyView> {
      const model = await target(ctx, environment, modelName, 'gateway:configure');
      const parsed = parseGuardPolicyDocument(input.policy, deps.bounds);
      if (!parsed.ok) throw guardPolicyInvalid(parsed.problems);
      const weakens = weakenings(parsed.document);
      if (weakens.length > 0 && !input.reason) throw guardPolicyReasonRequired(weakens);
      return write(ctx, model, environment, parsed.document, input.reason);
    },

    /** Back to the defaults (every guard on). */
    async reset(
      ctx: CallContext,
      environment: string,
      modelName: string,
      reason: string | null,
    ): Promise<GuardPolicyView> {
      const model = await target(ctx, environment, modelName, 'gateway:configure');
      return write(ctx, model, environment, {}, reason);
    },
  };
}

export type GuardPolicyService = ReturnType<typeof createGuardPolicyService>;
