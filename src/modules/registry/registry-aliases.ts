import { newId } from '../../platform/ids.js';
import { isSlug } from '../../platform/slug.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { CallContext } from '../identity/index.js';
import type { PolicyAction } from '../policy/index.js';
import { aliasNotFound, invalidName, versionDeleted } from './registry.errors.js';
import type { Page, RegistryStore, Stores } from './registry.ports.js';
import type { AliasRecord, ModelRecord, VersionRecord } from './registry.types.js';
import { type AliasEventView, type AliasView, aliasEventView, sha } from './registry.views.js';
import { aliasResource, eventModel, type RegistryAccess } from './registry-access.js';
import type { RegistryServiceDeps } from './registry-deps.js';
import { resolveVersion } from './resolve-version.js';
import { parseVersionRef } from './version-ref.js';

/** The stores an alias move writes: the alias and its history, and the audit entry. */
export type AliasStores = Pick<Stores, 'registry' | 'audit' | 'outbox'>;

interface AliasDeps extends Pick<RegistryServiceDeps, 'read' | 'clock' | 'access'> {
  uow: UnitOfWork<AliasStores>;
  requireModel(store: RegistryStore, name: string): Promise<ModelRecord>;
  modelFor(ctx: CallContext, action: PolicyAction, name: string): Promise<ModelRecord>;
}

/**
 * Points an alias at `target` on the caller's transaction (the model already locked): the alias row, its
 * history event and the audit entry, or nothing at all when it already points there. Used by `setAlias`
 * and by a push that sets aliases on its new version, so an alias moves one way only.
 */
export async function moveAlias(
  stores: AliasStores,
  access: Pick<RegistryAccess, 'record'>,
  ctx: CallContext,
  input: { model: ModelRecord; alias: string; target: VersionRecord; reason: string | null; at: string },
): Promise<{ changed: boolean; current: AliasRecord | null; previous: VersionRecord | null }> {
  const { registry } = stores;
  const { model, alias, target, reason, at } = input;
  const current = await registry.findAlias(model.id, alias);
  const changed = current?.versionId !== target.id;
  const previous = current ? await registry.findVersionById(current.versionId) : null;
  if (changed) {
    await registry.upsertAlias({
      modelId: model.id,
      name: alias,
      versionId: target.id,
      updatedBy: ctx.principal.id,
      updatedByName: ctx.principal.name,
      updatedAt: at,
    });
    await registry.insertAliasEvent({
      id: newId(),
      modelId: model.id,
      alias,
      fromVersionId: current?.versionId ?? null,
      toVersionId: target.id,
      actor: ctx.principal.id,
      actorName: ctx.principal.name,
      reason,
      at,
    });
    await access.record(stores, ctx, {
      type: 'registry.alias.set',
      model: eventModel(model),
      alias,
      from: previous?.number ?? null,
      to: target.number,
      reason,
    });
  }
  return { changed, current, previous };
}

/** Aliases: set, remove (each move kept in the alias's history and the audit log), list, history. */
export function createAliasUseCases(deps: AliasDeps) {
  const { uow, read, clock, requireModel, modelFor } = deps;
  const { access } = deps;
  const now = () => clock.now().toISOString();

  return {
    async listAliases(name: string, ctx: CallContext): Promise<AliasView[]> {
      return listAliasViews(read.registry, await modelFor(ctx, 'registry:alias:list', name));
    },

    async setAlias(
      name: string,
      alias: string,
      input: { version: string; reason?: string },
      ctx: CallContext,
    ) {
      if (!isSlug(alias)) throw invalidName('Alias', alias);
      const ref = parseVersionRef(input.version);
      await access.require(
        ctx,
        'registry:alias:set',
        aliasResource(await requireModel(read.registry, name), alias),
      );
      return uow.run(async (stores) => {
        const { registry } = stores;
        const model = await requireModel(registry, name);
        await registry.lockModel(model.id);
        const target = await resolveVersion(registry, model, ref);
        if (target.deleted) throw versionDeleted(name, target.number, target.deleted);
        const at = now();
        const { changed, current, previous } = await moveAlias(stores, access, ctx, {
          model,
          alias,
          target,
          reason: input.reason ?? null,
          at,
        });
        return {
          changed,
          alias: {
            name: alias,
            version: target.number,
            digest: sha(target.digest),
            updatedBy: changed ? ctx.principal.id : (current?.updatedBy ?? ctx.principal.id),
            updatedByName: changed ? ctx.principal.name : (current?.updatedByName ?? ctx.principal.name),
            updatedAt: changed ? at : (current?.updatedAt ?? at),
          } satisfies AliasView,
          previous: previous?.number ?? null,
        };
      });
    },

    async removeAlias(
      name: string,
      alias: string,
      input: { reason?: string },
      ctx: CallContext,
    ): Promise<void> {
      await access.require(
        ctx,
        'registry:alias:delete',
        aliasResource(await requireModel(read.registry, name), alias),
      );
      await uow.run(async (stores) => {
        const { registry } = stores;
        const model = await requireModel(registry, name);
        await registry.lockModel(model.id);
        const current = await registry.findAlias(model.id, alias);
        if (!current) throw aliasNotFound(name, alias);
        const previous = await registry.findVersionById(current.versionId);
        await registry.deleteAlias(model.id, alias);
        await registry.insertAliasEvent({
          id: newId(),
          modelId: model.id,
          alias,
          fromVersionId: current.versionId,
          toVersionId: null,
          actor: ctx.principal.id,
          actorName: ctx.principal.name,
          reason: input.reason ?? null,
          at: now(),
        });
        await access.record(stores, ctx, {
          type: 'registry.alias.removed',
          model: eventModel(model),
          alias,
          from: previous?.number ?? null,
          reason: input.reason ?? null,
        });
      });
    },

    async aliasHistory(
      name: string,
      alias: string,
      query: { limit: number; after?: string },
      ctx: CallContext,
    ): Promise<Page<AliasEventView>> {
      if (!isSlug(alias)) throw invalidName('Alias', alias);
      const model = await requireModel(read.registry, name);
      await access.require(ctx, 'registry:alias:history', aliasResource(model, alias));
      const page = await read.registry.listAliasEvents(model.id, alias, query);
      if (page.items.length === 0 && !query.after && !(await read.registry.findAlias(model.id, alias))) {
        throw aliasNotFound(name, alias);
      }
      const numbers = new Map<string, number>();
      for (const e of page.items) {
        for (const id of [e.fromVersionId, e.toVersionId]) {
          if (id && !numbers.has(id)) numbers.set(id, (await read.registry.findVersionById(id))?.number ?? 0);
        }
      }
      return {
        items: page.items.map((e) => aliasEventView(e, (id) => (id ? (numbers.get(id) ?? null) : null))),
        next: page.next,
      };
    },
  };
}

export async function listAliasViews(store: RegistryStore, model: ModelRecord): Promise<AliasView[]> {
  const out: AliasView[] = [];
  for (const a of await store.listAliases(model.id)) {
    const v = await store.findVersionById(a.versionId);
    if (v)
      out.push({
        name: a.name,
        version: v.number,
        digest: sha(v.digest),
        updatedBy: a.updatedBy,
        updatedByName: a.updatedByName,
        updatedAt: a.updatedAt,
      });
  }
  return out;
}
