import type { CallContext } from '../../platform/call-context.js';
import type { ModelRecord } from '../registry/index.js';
import type { DeployStores } from './deploy.ports.js';
import type { DeployRequestRecord, RequestState } from './deploy.types.js';
import type { RequestView } from './deploy.views.js';
import type { DeployServiceDeps } from './deploy-deps.js';
import { deploymentResource, environmentOf, modelNamed } from './deploy-target.js';
import { selfApprovalAllowed } from './environment.js';

export interface RequestListQuery {
  /** One environment; every configured one when left out. */
  environment?: string;
  model?: string;
  states?: RequestState[];
  /**
   * Only the requests waiting for the caller: pending, unexpired, on a target the caller may approve,
   * not the caller's own (unless the environment lets self-approval count), not decided by them yet.
   */
  approvable?: boolean;
  limit: number;
  after?: string;
}

/**
 * Rows one call reads at most: the filters run after the query (authorization is Cedar's, per target), so
 * a caller who may see few requests gets a short page and a cursor rather than a scan of the whole table.
 */
export const maxRequestsScanned = 1000;

/** Listing requests of one environment or all, filtered to what the caller may read (or approve). */
export function createRequestListing<S extends DeployStores>(
  deps: DeployServiceDeps<S>,
  viewOf: (stores: S, r: DeployRequestRecord) => Promise<RequestView>,
) {
  const { read, access, clock } = deps;

  return async function list(ctx: CallContext, query: RequestListQuery) {
    const named = query.environment ? environmentOf(deps, query.environment) : null;
    const model = query.model ? await modelNamed(read, query.model) : null;
    if (model && named) await access.require(ctx, 'deploy:read', deploymentResource(model, named.name));
    const models = new Map<string, ModelRecord | null>(model ? [[model.id, model]] : []);
    const modelOf = async (id: string) => {
      if (!models.has(id)) models.set(id, await read.registry.findModelById(id));
      return models.get(id) ?? null;
    };
    const now = clock.now().getTime();
    const states = query.states ?? (query.approvable ? (['pending'] as RequestState[]) : undefined);

    const shown = async (r: DeployRequestRecord): Promise<boolean> => {
      // A request of an environment no longer configured is history only the audit log keeps showing.
      if (!Object.hasOwn(deps.environments, r.environment)) return false;
      const env = environmentOf(deps, r.environment);
      const m = await modelOf(r.modelId);
      if (!m) return false;
      const resource = deploymentResource(m, env.name);
      if (!access.allows(ctx, 'deploy:read', resource)) return false;
      if (!query.approvable) return true;
      if (r.state !== 'pending' || Date.parse(r.expiresAt) <= now) return false;
      if (!access.allows(ctx, 'deploy:approve', resource)) return false;
      if (r.requestedBy === ctx.principal.id && !selfApprovalAllowed(env)) return false;
      const decided = await read.deploy.listApprovals(r.id);
      return !decided.some((a) => a.approver === ctx.principal.id);
    };

    const items: RequestView[] = [];
    let after = query.after;
    let scanned = 0;
    for (;;) {
      const page = await read.deploy.listRequests({
        ...(named ? { environment: named.name } : {}),
        ...(model ? { modelId: model.id } : {}),
        ...(states ? { states } : {}),
        limit: query.limit,
        ...(after ? { after } : {}),
      });
      for (const [i, r] of page.items.entries()) {
        scanned++;
        if (await shown(r)) items.push(await viewOf(read, r));
        if (items.length === query.limit) {
          const more = i < page.items.length - 1 || page.next !== null;
          return { items, next: more ? r.id : null };
        }
      }
      if (!page.next) return { items, next: null };
      after = page.next;
      if (scanned >= maxRequestsScanned) return { items, next: after };
    }
  };
}
