import type { CallContext } from '../../platform/call-context.js';
import { newId } from '../../platform/ids.js';
import type { ModelRecord } from '../registry/index.js';
import {
  approvalsMissing,
  gatesFailed,
  noCandidate,
  notDeployed,
  nothingToRollBack,
  requestClosed,
  requestNotFound,
  targetChanged,
  versionUnavailable,
} from './deploy.errors.js';
import type { DeployStores } from './deploy.ports.js';
import type { DeploymentRecord, DeployRequestRecord, LiveRecord } from './deploy.types.js';
import { type DeploymentView, deploymentView } from './deploy.views.js';
import type { DeployServiceDeps } from './deploy-deps.js';
import {
  deployableVersion,
  deploymentResource,
  environmentOf,
  gatesFor,
  modelNamed,
  versionSignatures,
  weighApprovals,
} from './deploy-target.js';
import type { DeployEnvironment } from './environment.js';

const systemPrincipal = {
  id: 'system',
  kind: 'service' as const,
  name: 'system',
  roles: [],
  teams: [],
  unscoped: true,
  via: { kind: 'token' as const, tokenId: 'system' },
};

/** Applying requests and changing what is live: promote, abort, rollback. */
export function createApplyUseCases<S extends DeployStores>(
  deps: DeployServiceDeps<S>,
  requests: { expireIfDue: (r: DeployRequestRecord) => Promise<unknown> },
) {
  const { uow, read, clock, access, feed } = deps;

  /** Writes one change of a target's live state: history row, live row and the environment's revision. */
  async function commitChange(
    stores: S,
    revision: number,
    env: DeployEnvironment,
    model: ModelRecord,
    change: Omit<DeploymentRecord, 'id' | 'environment' | 'modelId' | 'revision' | 'at' | 'rolledBack'>,
    next: Pick<LiveRecord, 'stable' | 'candidate'>,
    at: string,
  ): Promise<DeploymentRecord> {
    const deployment: DeploymentRecord = {
      ...change,
      id: newId(),
      environment: env.name,
      modelId: model.id,
      rolledBack: false,
      revision: revision + 1,
      at,
    };
    await stores.deploy.insertDeployment(deployment);
    const fix = <T extends { deploymentId: string } | null>(slot: T): T =>
      slot && slot.deploymentId === '(new)' ? { ...slot, deploymentId: deployment.id } : slot;
    await stores.deploy.upsertLive({
      environment: env.name,
      modelId: model.id,
      stable: fix(next.stable),
      candidate: fix(next.candidate),
      revision: revision + 1,
      updatedAt: at,
    });
    await stores.deploy.setRevision(env.name, revision + 1, at);
    return deployment;
  }

  async function numberOf(stores: S, versionId: string): Promise<number> {
    return (await stores.registry.findVersionById(versionId))?.number ?? 0;
  }

  /**
   * Makes an approved request live. Everything is checked again inside the transaction that moves the
   * pointer: the digest, the signature and its signer, the gates (re-evaluated now), the approvals (each
   * approver must still hold the right), and that what is live is still what the request was made over.
   */
  async function apply(ctx: CallContext, id: string, automatic = false): Promise<DeploymentView> {
    const found = await read.deploy.findRequest(id);
    if (!found) throw requestNotFound(id);
    const model = await read.registry.findModelById(found.modelId);
    if (!model) throw requestNotFound(id);
    const env = environmentOf(deps, found.environment);
    await access.require(ctx, 'deploy:apply', deploymentResource(model, env.name));
    await requests.expireIfDue(found);
    const result = await uow.run(async (stores) => {
      const revision = await stores.deploy.lockEnvironment(env.name);
      const r = await stores.deploy.findRequest(id);
      if (!r) throw requestNotFound(id);
      if (r.state !== 'pending' && r.state !== 'approved') throw requestClosed(id, r.state);
      const version = await deployableVersion(stores, model, r.versionId, r.digest);
      const gates = await gatesFor(deps, stores, ctx.principal, env, model, version);
      if (!gates.passed)
        throw gatesFailed(
          env.name,
          gates.gates.filter((g) => !g.passed).map((g) => ({ gate: g.gate, policies: g.policies })),
        );
      const now = clock.now();
      const weighed = await weighApprovals(deps, stores, env, r, model, gates.hash, now, true);
      if (weighed.counted < env.approvals)
        throw approvalsMissing(
          id,
          env.approvals,
          weighed.counted,
          weighed.approvals
            .filter((a) => a.ignored !== null && a.record.decision === 'approve')
            .map((a) => ({ approver: a.record.approver, why: a.ignored as string })),
        );
      const live = await stores.deploy.findLive(env.name, model.id);
      const liveStable = live?.stable?.deploymentId ?? null;
      if (liveStable !== r.baseDeploymentId) throw targetChanged(id, r.baseDeploymentId, liveStable);
      if (
        !(await stores.deploy.transitionRequest(id, ['pending', 'approved'], 'applied', {
          at: now.toISOString(),
          by: ctx.principal.id,
          reason: automatic ? 'applied automatically: gates passed, no approval needed' : null,
        }))
      )
        throw requestClosed(id, (await stores.deploy.findRequest(id))?.state ?? 'closed');
      const at = now.toISOString();
      const slotRef = { deploymentId: '(new)', versionId: version.id, digest: version.digest };
      const next: Pick<LiveRecord, 'stable' | 'candidate'> =
        r.slot === 'stable'
          ? { stable: slotRef, candidate: live?.candidate ?? null }
          : {
              stable: live?.stable ?? null,
              candidate: { ...slotRef, mode: r.slot, percent: r.percent ?? 0 },
            };
      const previousDigest =
        r.slot === 'stable' ? (live?.stable?.digest ?? null) : (live?.candidate?.digest ?? null);
      const deployment = await commitChange(
        stores,
        revision,
        env,
        model,
        {
          requestId: id,
          versionId: version.id,
          digest: version.digest,
          action: 'applied',
          slot: r.slot,
          percent: r.percent,
          previousDigest,
          actor: ctx.principal.id,
          actorName: ctx.principal.name,
          reason: r.reason,
        },
        next,
        at,
      );
      await access.record(stores, ctx, {
        type: 'deploy.applied',
        environment: env.name,
        model: model.name,
        owner: model.owner,
        request: id,
        deployment: deployment.id,
        version: version.number,
        digest: version.digest,
        slot: r.slot,
        percent: r.percent,
        previousDigest,
        revision: deployment.revision,
        automatic,
      });
      // Other open requests for the same slot were made over what was live before: they can no longer apply.
      const others = await stores.deploy.listRequests({
        environment: env.name,
        modelId: model.id,
        states: ['pending', 'approved'],
        limit: 1000,
      });
      for (const other of others.items) {
        if (other.id === id || (other.slot === 'stable') !== (r.slot === 'stable')) continue;
        if (r.slot !== 'stable' && other.baseDeploymentId === live?.stable?.deploymentId) continue;
        await stores.deploy.transitionRequest(other.id, ['pending', 'approved'], 'superseded', {
          at,
          by: ctx.principal.id,
          reason: `request ${id} was applied first`,
        });
        await access.record(stores, ctx, {
          type: 'deploy.superseded',
          environment: env.name,
          model: model.name,
          owner: model.owner,
          request: other.id,
          by: id,
        });
      }
      return deploymentView(deployment, model.name, version.number);
    });
    feed.notify(env.name);
    return result;
  }

  /** Promotes the canary (or shadow) to stable, or aborts it; gates are re-checked on promotion. */
  async function endCandidate(
    ctx: CallContext | null,
    environment: string,
    modelName: string,
    outcome: 'promote' | 'abort',
    reason: string | null,
  ): Promise<DeploymentView> {
    const env = environmentOf(deps, environment);
    const model = await modelNamed(read, modelName);
    // No caller: monitoring aborting a canary whose alerts fired (promotion always has a caller).
    const actor = ctx?.principal ?? systemPrincipal;
    if (ctx)
      await access.require(
        ctx,
        outcome === 'promote' ? 'deploy:promote' : 'deploy:abort',
        deploymentResource(model, env.name),
      );
    const result = await uow.run(async (stores) => {
      const revision = await stores.deploy.lockEnvironment(env.name);
      const live = await stores.deploy.findLive(env.name, model.id);
      const candidate = live?.candidate;
      if (!live || !candidate) throw noCandidate(env.name, model.name);
      const version = await deployableVersion(stores, model, candidate.versionId, candidate.digest);
      if (outcome === 'promote') {
        const gates = await gatesFor(deps, stores, actor, env, model, version);
        if (!gates.passed)
          throw gatesFailed(
            env.name,
            gates.gates.filter((g) => !g.passed).map((g) => ({ gate: g.gate, policies: g.policies })),
          );
      }
      const at = clock.now().toISOString();
      const next: Pick<LiveRecord, 'stable' | 'candidate'> =
        outcome === 'promote'
          ? {
              stable: { deploymentId: '(new)', versionId: version.id, digest: version.digest },
              candidate: null,
            }
          : { stable: live.stable, candidate: null };
      const deployment = await commitChange(
        stores,
        revision,
        env,
        model,
        {
          requestId: null,
          versionId: version.id,
          digest: version.digest,
          action: outcome === 'promote' ? 'promoted' : 'aborted',
          slot: outcome === 'promote' ? 'stable' : candidate.mode,
          percent: outcome === 'promote' ? null : candidate.percent,
          previousDigest: outcome === 'promote' ? (live.stable?.digest ?? null) : candidate.digest,
          actor: actor.id,
          actorName: actor.name,
          reason,
        },
        next,
        at,
      );
      await access.record(stores, ctx, {
        type: outcome === 'promote' ? 'deploy.promoted' : 'deploy.aborted',
        environment: env.name,
        model: model.name,
        owner: model.owner,
        deployment: deployment.id,
        version: version.number,
        digest: version.digest,
        slot: candidate.mode,
        reason,
        revision: deployment.revision,
      });
      return deploymentView(deployment, model.name, version.number);
    });
    feed.notify(env.name);
    return result;
  }

  /**
   * Returns a target to its last known-good stable deployment: the newest earlier stable one whose digest
   * was never rolled back from and is not the one live now. Integrity and signature are re-checked; approvals are
   * not asked again (that digest was approved before). A running canary or shadow is ended too.
   */
  async function rollback(ctx: CallContext | null, environment: string, modelName: string, reason: string) {
    const env = environmentOf(deps, environment);
    const model = await modelNamed(read, modelName);
    if (ctx) await access.require(ctx, 'deploy:rollback', deploymentResource(model, env.name));
    const result = await uow.run(async (stores) => {
      const revision = await stores.deploy.lockEnvironment(env.name);
      const live = await stores.deploy.findLive(env.name, model.id);
      const current = live?.stable;
      if (!live || !current) throw notDeployed(env.name, model.name);
      const history = await stores.deploy.listStableDeployments(env.name, model.id, 500);
      // A digest once rolled back from is not known-good, whichever deployment served it.
      const bad = new Set(history.filter((d) => d.rolledBack).map((d) => d.digest));
      bad.add(current.digest);
      const target = history.find((d) => d.id < current.deploymentId && !bad.has(d.digest));
      if (!target) throw nothingToRollBack(env.name, model.name);
      const version = await deployableVersion(stores, model, target.versionId, target.digest);
      if (env.gates.includes('signature')) {
        const valid = (await versionSignatures(stores, version, deps.verifier)).filter(
          (sig) => sig.valid && sig.environments.includes(env.name),
        );
        if (valid.length === 0)
          throw versionUnavailable(
            model.name,
            version.number,
            `no valid signature by a signer allowed for ${env.name} any more`,
          );
      }
      await stores.deploy.markRolledBack(current.deploymentId);
      const at = clock.now().toISOString();
      const actor = ctx?.principal ?? systemPrincipal;
      const deployment = await commitChange(
        stores,
        revision,
        env,
        model,
        {
          requestId: target.requestId,
          versionId: version.id,
          digest: version.digest,
          action: 'rolled_back',
          slot: 'stable',
          percent: null,
          previousDigest: current.digest,
          actor: actor.id,
          actorName: actor.name,
          reason,
        },
        { stable: { deploymentId: '(new)', versionId: version.id, digest: version.digest }, candidate: null },
        at,
      );
      await access.record(stores, ctx, {
        type: 'deploy.rolled_back',
        environment: env.name,
        model: model.name,
        owner: model.owner,
        deployment: deployment.id,
        version: version.number,
        digest: version.digest,
        fromDigest: current.digest,
        reason,
        revision: deployment.revision,
      });
      return deploymentView(deployment, model.name, await numberOf(stores, version.id));
    });
    feed.notify(env.name);
    return result;
  }

  return { apply, endCandidate, rollback };
}
