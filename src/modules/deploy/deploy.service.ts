import type { CallContext } from '../../platform/call-context.js';
import type { DeployStores } from './deploy.ports.js';
import { environmentView } from './deploy.views.js';
import { createApplyUseCases } from './deploy-apply.js';
import type { DeployServiceDeps } from './deploy-deps.js';
import { createLiveUseCases } from './deploy-live.js';
import { createRequestListing } from './deploy-request-list.js';
import { createRequestUseCases, type RequestInput } from './deploy-requests.js';
import { environmentOf } from './deploy-target.js';

/**
 * The only way a model version becomes live in an environment: requests resolved to one digest, gates
 * decided by Cedar gate policies, two-person approvals, an apply that re-checks everything in the
 * transaction that moves the live pointer, rollback, canaries and shadows, and a change feed.
 */
export function createDeployService<S extends DeployStores>(deps: DeployServiceDeps<S>) {
  const requests = createRequestUseCases(deps);
  const applying = createApplyUseCases(deps, requests);
  const live = createLiveUseCases(deps);
  const { access } = deps;

  return {
    async environments(ctx: CallContext) {
      await access.require(ctx, 'deploy:environment:list', { type: 'Registry' });
      return Object.values(deps.environments).map(environmentView);
    },
    async environment(ctx: CallContext, name: string) {
      await access.require(ctx, 'deploy:environment:list', { type: 'Registry' });
      return environmentView(environmentOf(deps, name));
    },
    check: requests.check,
    /**
     * Records a request; where the environment applies itself (`autoApply`) and the request needs no
     * approval, it is applied at once by the requester (who must hold `deploy:apply` for that).
     */
    async request(ctx: CallContext, input: RequestInput) {
      const view = await requests.request(ctx, input);
      const env = environmentOf(deps, view.environment);
      if (!env.autoApply || view.state !== 'approved') return { request: view, deployment: null };
      const model = await deps.read.registry.findModelByName(view.model);
      const resource = model ? { type: 'Deployment' as const, model, environment: env.name } : null;
      if (!resource || !access.allows(ctx, 'deploy:apply', resource))
        return { request: view, deployment: null };
      const deployment = await applying.apply(ctx, view.id, true);
      return { request: await requests.show(ctx, view.id), deployment };
    },
    approve: (ctx: CallContext, id: string, reason: string | null) =>
      requests.decide(ctx, id, 'approve', reason),
    reject: (ctx: CallContext, id: string, reason: string | null) =>
      requests.decide(ctx, id, 'reject', reason),
    cancel: requests.cancel,
    showRequest: requests.show,
    /** Requests of one environment or all, newest first, as far as the caller may read (or approve) them. */
    listRequests: createRequestListing(deps, requests.viewOf),
    apply: (ctx: CallContext, id: string) => applying.apply(ctx, id, false),
    promote: (ctx: CallContext, env: string, model: string, reason: string | null) =>
      applying.endCandidate(ctx, env, model, 'promote', reason),
    abort: (ctx: CallContext, env: string, model: string, reason: string | null) =>
      applying.endCandidate(ctx, env, model, 'abort', reason),
    /** Abort of a canary or shadow by Warden itself (monitoring): no caller to authorize, audited as the system. */
    abortAsSystem: (env: string, model: string, reason: string) =>
      applying.endCandidate(null, env, model, 'abort', reason),
    rollback: (ctx: CallContext, env: string, model: string, reason: string) =>
      applying.rollback(ctx, env, model, reason),
    /** Rollback by Warden itself (monitoring): no caller to authorize, audited as the system. */
    rollbackAsSystem: (env: string, model: string, reason: string) =>
      applying.rollback(null, env, model, reason),
    live: live.live,
    changes: live.changes,
    history: live.history,
  };
}

export type DeployService = ReturnType<typeof createDeployService>;
