import type { CallContext } from '../../platform/call-context.js';
import { newId } from '../../platform/ids.js';
import { parseVersionRef, resolveVersion } from '../registry/index.js';
import {
  alreadyDecided,
  canaryNeedsStable,
  gatesFailed,
  invalidPercent,
  reasonRequired,
  requestClosed,
  requestNotFound,
  selfApproval,
  versionUnavailable,
} from './deploy.errors.js';
import type { DeployStores } from './deploy.ports.js';
import type { DeployRequestRecord, RequestState, Slot } from './deploy.types.js';
import { type RequestView, requestView } from './deploy.views.js';
import type { DeployServiceDeps } from './deploy-deps.js';
import { deploymentResource, environmentOf, gatesFor, modelNamed, weighApprovals } from './deploy-target.js';
import { selfApprovalAllowed } from './environment.js';

export interface RequestInput {
  environment: string;
  model: string;
  /** A version number, alias or digest: resolved to the root digest now, and only that digest from then on. */
  ref: string;
  slot?: Slot;
  percent?: number | null;
  reason?: string | null;
}

const open: readonly RequestState[] = ['pending', 'approved'];

const checkReason = (reason: string | null | undefined, what: string, required: boolean): string | null => {
  const text = reason?.trim() ?? '';
  if (text.length > 500 || (required && text.length === 0)) throw reasonRequired(what);
  return text.length > 0 ? text : null;
};

function checkPercent(slot: Slot, percent: number | null | undefined): number | null {
  if (slot === 'stable') {
    if (percent !== undefined && percent !== null) throw invalidPercent(slot);
    return null;
  }
  const max = slot === 'canary' ? 99 : 100;
  if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 1 || percent > max)
    throw invalidPercent(slot);
  return percent;
}

/** Requests, dry runs, approvals, rejections and cancellations. */
export function createRequestUseCases<S extends DeployStores>(deps: DeployServiceDeps<S>) {
  const { uow, read, clock, access } = deps;

  /** The view of a request as it stands, approvals weighed (without re-checking approvers' rights). */
  async function viewOf(stores: S, r: DeployRequestRecord): Promise<RequestView> {
    const env = environmentOf(deps, r.environment);
    const model = await stores.registry.findModelById(r.modelId);
    const version = await stores.registry.findVersionById(r.versionId);
    const weighed = model
      ? await weighApprovals(deps, stores, env, r, model, r.gates.hash, clock.now(), false)
      : { approvals: [] };
    return requestView(r, model?.name ?? r.modelId, version?.number ?? 0, env.approvals, weighed.approvals);
  }

  /** Marks an open request whose time is up as expired (its own transaction) and reports it closed. */
  async function expireIfDue(r: DeployRequestRecord): Promise<DeployRequestRecord> {
    if (!open.includes(r.state) || Date.parse(r.expiresAt) > clock.now().getTime()) return r;
    await uow.run(async (stores) => {
      const model = await stores.registry.findModelById(r.modelId);
      const moved = await stores.deploy.transitionRequest(r.id, open, 'expired', {
        at: clock.now().toISOString(),
        by: null,
        reason: `not applied before ${r.expiresAt}`,
      });
      if (moved && model)
        await access.record(stores, null, {
          type: 'deploy.expired',
          environment: r.environment,
          model: model.name,
          owner: model.owner,
          request: r.id,
          digest: r.digest,
        });
    });
    throw requestClosed(r.id, 'expired');
  }

  async function loadRequest(id: string) {
    const found = await read.deploy.findRequest(id);
    if (!found) throw requestNotFound(id);
    const model = await read.registry.findModelById(found.modelId);
    if (!model) throw requestNotFound(id);
    return { request: found, model, env: environmentOf(deps, found.environment) };
  }

  return {
    viewOf,
    expireIfDue,
    loadRequest,

    /** The dry run: every gate's verdict for a version in an environment; changes nothing. */
    async check(ctx: CallContext, input: Pick<RequestInput, 'environment' | 'model' | 'ref'>) {
      const env = environmentOf(deps, input.environment);
      const model = await modelNamed(read, input.model);
      await access.require(ctx, 'deploy:check', deploymentResource(model, env.name));
      const version = await resolveVersion(read.registry, model, parseVersionRef(input.ref));
      if (version.deleted)
        throw versionUnavailable(model.name, version.number, `it was deleted at ${version.deleted.at}`);
      const gates = await gatesFor(deps, read, ctx.principal, env, model, version);
      return {
        environment: env.name,
        model: model.name,
        version: version.number,
        digest: `sha256:${version.digest}`,
        gates: { ...gates, digest: `sha256:${gates.digest}` },
        approvalsNeeded: env.approvals,
        autoApply: env.autoApply,
      };
    },

    /**
     * Records a request for one digest. Its gates are evaluated now and a version that fails them is
     * refused (nothing is stored); a request that needs no approval is `approved` at once.
     */
    async request(ctx: CallContext, input: RequestInput): Promise<RequestView> {
      const env = environmentOf(deps, input.environment);
      const slot = input.slot ?? 'stable';
      const percent = checkPercent(slot, input.percent);
      const reason = checkReason(input.reason, 'request a deployment', false);
      const ref = parseVersionRef(input.ref);
      const model = await modelNamed(read, input.model);
      await access.require(ctx, 'deploy:request', deploymentResource(model, env.name));
      return uow.run(async (stores) => {
        const version = await resolveVersion(stores.registry, model, ref);
        if (version.deleted)
          throw versionUnavailable(model.name, version.number, `it was deleted at ${version.deleted.at}`);
        const live = await stores.deploy.findLive(env.name, model.id);
        if (slot !== 'stable' && !live?.stable) throw canaryNeedsStable(env.name, model.name);
        const gates = await gatesFor(deps, stores, ctx.principal, env, model, version);
        if (!gates.passed)
          throw gatesFailed(
            env.name,
            gates.gates.filter((g) => !g.passed).map((g) => ({ gate: g.gate, policies: g.policies })),
          );
        const now = clock.now();
        const record: DeployRequestRecord = {
          id: newId(),
          environment: env.name,
          modelId: model.id,
          versionId: version.id,
          digest: version.digest,
          slot,
          percent,
          state: env.approvals === 0 ? 'approved' : 'pending',
          gates,
          baseDeploymentId: live?.stable?.deploymentId ?? null,
          requestedBy: ctx.principal.id,
          requestedByName: ctx.principal.name,
          reason,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + env.requestTtlSeconds * 1000).toISOString(),
          closedAt: null,
          closedBy: null,
          closedReason: null,
        };
        await stores.deploy.insertRequest(record);
        await access.record(stores, ctx, {
          type: 'deploy.requested',
          environment: env.name,
          model: model.name,
          owner: model.owner,
          request: record.id,
          version: version.number,
          digest: version.digest,
          slot,
          percent,
          gatesPassed: gates.passed,
          failedGates: [],
          approvalsNeeded: env.approvals,
        });
        return viewOf(stores, record);
      });
    },

    /** Approves or rejects a request: once per approver, never one's own where the environment forbids it. */
    async decide(ctx: CallContext, id: string, decision: 'approve' | 'reject', reasonText: string | null) {
      const { request: found, model, env } = await loadRequest(id);
      await access.require(
        ctx,
        decision === 'approve' ? 'deploy:approve' : 'deploy:reject',
        deploymentResource(model, env.name),
      );
      const reason = checkReason(reasonText, `${decision} a deployment request`, true) as string;
      await expireIfDue(found);
      return uow.run(async (stores) => {
        const r = await stores.deploy.findRequest(id);
        if (!r) throw requestNotFound(id);
        if (!open.includes(r.state)) throw requestClosed(id, r.state);
        if (decision === 'approve' && r.requestedBy === ctx.principal.id && !selfApprovalAllowed(env))
          throw selfApproval(id);
        const mine = await stores.deploy.listApprovals(id);
        if (mine.some((a) => a.approver === ctx.principal.id)) throw alreadyDecided(id);
        const now = clock.now();
        await stores.deploy.insertApproval({
          id: newId(),
          requestId: id,
          approver: ctx.principal.id,
          approverName: ctx.principal.name,
          approverSnapshot: {
            kind: ctx.principal.kind,
            roles: [...ctx.principal.roles],
            teams: [...ctx.principal.teams],
            unscoped: ctx.principal.unscoped,
          },
          decision,
          reason,
          digest: r.digest,
          gateHash: r.gates.hash,
          createdAt: now.toISOString(),
          expiresAt: new Date(now.getTime() + env.approvalTtlSeconds * 1000).toISOString(),
        });
        const version = await stores.registry.findVersionById(r.versionId);
        const weighed = await weighApprovals(deps, stores, env, r, model, r.gates.hash, now, false);
        let state = r.state;
        if (decision === 'reject') {
          await stores.deploy.transitionRequest(id, open, 'rejected', {
            at: now.toISOString(),
            by: ctx.principal.id,
            reason,
          });
          state = 'rejected';
        } else if (r.state === 'pending' && weighed.counted >= env.approvals) {
          await stores.deploy.transitionRequest(id, ['pending'], 'approved', null);
          state = 'approved';
        }
        await access.record(stores, ctx, {
          type: decision === 'approve' ? 'deploy.approved' : 'deploy.rejected',
          environment: env.name,
          model: model.name,
          owner: model.owner,
          request: id,
          version: version?.number ?? 0,
          digest: r.digest,
          reason,
          approvals: weighed.counted,
          approvalsNeeded: env.approvals,
        });
        const after = await stores.deploy.findRequest(id);
        return viewOf(stores, after ?? { ...r, state });
      });
    },

    /** Withdraws an open request (its requester, or anyone who may deploy to the target). */
    async cancel(ctx: CallContext, id: string, reasonText: string | null) {
      const { request: found, model, env } = await loadRequest(id);
      await access.require(ctx, 'deploy:cancel', deploymentResource(model, env.name));
      const reason = checkReason(reasonText, 'cancel a deployment request', false);
      await expireIfDue(found);
      return uow.run(async (stores) => {
        const moved = await stores.deploy.transitionRequest(id, open, 'cancelled', {
          at: clock.now().toISOString(),
          by: ctx.principal.id,
          reason,
        });
        const r = await stores.deploy.findRequest(id);
        if (!r) throw requestNotFound(id);
        if (!moved) throw requestClosed(id, r.state);
        await access.record(stores, ctx, {
          type: 'deploy.cancelled',
          environment: env.name,
          model: model.name,
          owner: model.owner,
          request: id,
          digest: r.digest,
        });
        return viewOf(stores, r);
      });
    },

    /** One request with its approvals. */
    async show(ctx: CallContext, id: string): Promise<RequestView> {
      const { request, model, env } = await loadRequest(id);
      await access.require(ctx, 'deploy:read', deploymentResource(model, env.name));
      return viewOf(read, request);
    },
  };
}
