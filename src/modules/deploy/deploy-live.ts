import type { CallContext } from '../../platform/call-context.js';
import type { DeployStores } from './deploy.ports.js';
import { deploymentView, type LiveView, liveModelView } from './deploy.views.js';
import type { DeployServiceDeps } from './deploy-deps.js';
import { deploymentResource, environmentOf, modelNamed } from './deploy-target.js';

/** What is live, how it changes (the gateway's feed) and each target's history. */
export function createLiveUseCases<S extends DeployStores>(deps: DeployServiceDeps<S>) {
  const { read, access, feed } = deps;
  const pollMs = deps.pollMs ?? 250;

  /** Every model live in an environment; `ctx` null is the gateway reading for itself (no filtering). */
  async function live(ctx: CallContext | null, environment: string): Promise<LiveView> {
    const env = environmentOf(deps, environment);
    if (ctx) await access.require(ctx, 'deploy:environment:list', { type: 'Registry' });
    // The revision first: a change landing meanwhile shows up in the rows and again on the next read.
    const revision = await read.deploy.revision(env.name);
    const models = [];
    for (const row of await read.deploy.listLive(env.name)) {
      const model = await read.registry.findModelById(row.modelId);
      if (!model) continue;
      if (ctx && !access.allows(ctx, 'deploy:read', deploymentResource(model, env.name))) continue;
      const numbers = new Map<string, number>();
      for (const id of [row.stable?.versionId, row.candidate?.versionId])
        if (id) numbers.set(id, (await read.registry.findVersionById(id))?.number ?? 0);
      if (!row.stable && !row.candidate) continue;
      models.push(liveModelView(row, model.name, (id) => numbers.get(id) ?? 0));
    }
    models.sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
    return { environment: env.name, revision: Math.max(revision, ...models.map((m) => m.revision)), models };
  }

  /**
   * The change feed: answers as soon as the environment's revision is above `since`, or with the current
   * state when `waitMs` passes first. Changes made in this process wake it at once; changes made by another
   * replica are seen within one poll interval.
   */
  async function changes(
    ctx: CallContext | null,
    environment: string,
    since: number,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<LiveView & { changed: boolean }> {
    const env = environmentOf(deps, environment);
    if (ctx) await access.require(ctx, 'deploy:environment:list', { type: 'Registry' });
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Subscribed before the read: a change committed while the revision is being read still wakes us.
      const left = Math.max(0, deadline - Date.now());
      const wake = feed.wait(env.name, Math.min(left, pollMs), signal);
      const revision = await read.deploy.revision(env.name);
      if (revision > since || left <= 0 || signal?.aborted) {
        wake.cancel();
        return { ...(await live(ctx, env.name)), changed: revision > since };
      }
      await wake.done;
    }
  }

  async function history(
    ctx: CallContext,
    environment: string,
    modelName: string,
    page: { limit: number; after?: string },
  ) {
    const env = environmentOf(deps, environment);
    const model = await modelNamed(read, modelName);
    await access.require(ctx, 'deploy:read', deploymentResource(model, env.name));
    const found = await read.deploy.listDeployments({
      environment: env.name,
      modelId: model.id,
      limit: page.limit,
      ...(page.after ? { after: page.after } : {}),
    });
    const items = [];
    for (const d of found.items) {
      const request = d.requestId ? await read.deploy.findRequest(d.requestId) : null;
      const origin = request ? { request, approvals: await read.deploy.listApprovals(request.id) } : null;
      const version = (await read.registry.findVersionById(d.versionId))?.number ?? 0;
      items.push(deploymentView(d, model.name, version, origin));
    }
    return { items, next: found.next };
  }

  return { live, changes, history };
}
