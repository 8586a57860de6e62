import type { CallContext } from '../../../platform/call-context.js';
import type { Clock } from '../../../platform/clock.js';
import type { UnitOfWork } from '../../../platform/unit-of-work.js';
import { type DeployService, deploymentAuthorizer, nextPolicyRevision } from '../../deploy/index.js';
import type { Access, AccessStores } from '../../policy/index.js';
import type { ModelRecord, RegistryStore } from '../../registry/index.js';
import type { ReferenceProfiles } from '../monitor.ports.js';
import type { ColumnSpec } from '../monitor.types.js';
import { invalidPolicy, policyConflict } from './alert.errors.js';
import type { MonitorEvent } from './alert.events.js';
import type { MonitorAlertStore, MonitorAlertStores, MonitorPolicyRecord } from './alert.ports.js';
import { driftPolicyWarnings } from './drift-policy-check.js';
import {
  checkPolicyDocument,
  type MonitorPolicy,
  type MonitorPolicyDocument,
  type PolicyProblem,
  resolvePolicy,
} from './monitor-policy.js';

export interface MonitorPolicyServiceDeps<S extends MonitorAlertStores & AccessStores> {
  uow: UnitOfWork<S>;
  read: {
    monitorAlerts: Pick<MonitorAlertStore, 'findPolicy'>;
    registry: Pick<RegistryStore, 'findModelByName'>;
  };
  access: Pick<Access<MonitorEvent>, 'require' | 'record'>;
  clock: Clock;
  /** The configured environments' names. */
  environments: readonly string[];
  /** With both, a policy set is checked against the live versions' reference columns (else names only). */
  live?: Pick<DeployService, 'live'>;
  profiles?: ReferenceProfiles;
}

/** A deployment's monitor policy as the API shows it. */
export interface MonitorPolicyView {
  environment: string;
  model: string;
  /** The policy in force: the defaults with the stored document laid over them. */
  policy: MonitorPolicy;
  /** What the operator set (`{}`: the defaults). */
  document: MonitorPolicyDocument;
  /** 0 when no policy was ever set. */
  revision: number;
  setBy: string | null;
  setByName: string | null;
  setAt: string | null;
  reason: string | null;
  /**
   * What a policy just set may not do as meant (drift settings for columns the live versions' references
   * do not have, or do not test); empty when reading or resetting.
   */
  warnings: PolicyProblem[];
}

/**
 * Per-deployment monitor policies (detector thresholds and alert rules): read (`monitor:read`), replace
 * and reset (`monitor:configure`), each change validated strictly and audited on its transaction.
 */
export function createMonitorPolicyService<S extends MonitorAlertStores & AccessStores>(
  deps: MonitorPolicyServiceDeps<S>,
) {
  const { uow, read, access, clock } = deps;

  const target = deploymentAuthorizer({ environments: deps.environments, registry: read.registry, access });

  const viewOf = (environment: string, model: string, r: MonitorPolicyRecord | null): MonitorPolicyView => ({
    environment,
    model,
    policy: resolvePolicy(r?.document ?? null),
    document: r?.document ?? {},
    revision: r?.revision ?? 0,
    setBy: r?.setBy ?? null,
    setByName: r?.setByName ?? null,
    setAt: r?.setAt ?? null,
    reason: r?.reason ?? null,
    warnings: [],
  });

  /** The reference columns of the versions live in the environment (stable and canary); null: unknown. */
  async function liveColumns(environment: string, model: string): Promise<ColumnSpec[] | null> {
    if (!deps.live || !deps.profiles) return null;
    try {
      const m = (await deps.live.live(null, environment)).models.find((x) => x.model === model);
      const versions = [m?.stable?.version, m?.candidate?.version].filter((v) => v !== undefined);
      const profiles = await Promise.all(versions.map((v) => deps.profiles?.profileFor(model, v)));
      const columns = new Map(profiles.flatMap((p) => p?.columns ?? []).map((c) => [c.name, c]));
      return columns.size === 0 ? null : [...columns.values()];
    } catch {
      return null; // Checked on names only; the window-time resolution passes over what does not fit.
    }
  }

  async function write(
    ctx: CallContext,
    model: ModelRecord,
    environment: string,
    document: MonitorPolicyDocument,
    reason: string | null,
  ) {
    return uow.run(async (stores) => {
      const before = await stores.monitorAlerts.findPolicy(environment, model.name);
      const record = nextPolicyRevision(
        before,
        { environment, model: model.name, document, reason, at: clock.now().toISOString() },
        ctx,
      );
      if (!(await stores.monitorAlerts.savePolicy(record))) throw policyConflict(environment, model.name);
      await access.record(stores, ctx, {
        type: Object.keys(document).length === 0 ? 'monitor.policy_reset' : 'monitor.policy_set',
        environment,
        model: model.name,
        owner: model.owner,
        revision: record.revision,
        reason,
      });
      return viewOf(environment, model.name, record);
    });
  }

  return {
    /** The policy in force for a deployment, what the operator set, and who set it. */
    async show(ctx: CallContext, environment: string, modelName: string): Promise<MonitorPolicyView> {
      const model = await target(ctx, environment, modelName, 'monitor:read');
      return viewOf(environment, model.name, await read.monitorAlerts.findPolicy(environment, model.name));
    },
    /** Replaces the deployment's policy document (every problem reported at once, at its path). */
    async set(
      ctx: CallContext,
      environment: string,
      modelName: string,
      document: unknown,
      reason: string | null,
    ) {
      const model = await target(ctx, environment, modelName, 'monitor:configure');
      const columns = await liveColumns(environment, model.name);
      const problems = checkPolicyDocument(document, columns);
      if (problems.length > 0) throw invalidPolicy(problems);
      const policy = document as MonitorPolicyDocument;
      const view = await write(ctx, model, environment, policy, reason);
      return { ...view, warnings: driftPolicyWarnings(policy.drift, columns) };
    },
    /** Back to the defaults (a new revision with an empty document: the history keeps who reset it). */
    async reset(ctx: CallContext, environment: string, modelName: string, reason: string | null) {
      const model = await target(ctx, environment, modelName, 'monitor:configure');
      return write(ctx, model, environment, {}, reason);
    },
  };
}

export type MonitorPolicyService = ReturnType<typeof createMonitorPolicyService>;
