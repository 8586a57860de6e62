import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import { isSlug } from '../../platform/slug.js';
import type { BlobStore } from '../artifacts/index.js';
import { compareOmsPaths } from './manifest/path-order.js';
import { createPushVersion, type PushLimits } from './push-version.js';
import {
  aliasNotFound,
  fileNotInVersion,
  invalidName,
  modelExists,
  modelNotFound,
  versionImmutable,
} from './registry.errors.js';
import type { Page, RegistryStore, Stores, UnitOfWork } from './registry.ports.js';
import type { Actor, ModelRecord, VersionRecord } from './registry.types.js';
import {
  type AliasEventView,
  type AliasView,
  aliasEventView,
  type ModelView,
  modelView,
  sha,
  type VersionDetailView,
  type VersionSummary,
  type VersionView,
  versionDetailView,
  versionView,
} from './registry.views.js';
import { resolveVersion } from './resolve-version.js';
import { parseVersionRef } from './version-ref.js';

export interface RegistryServiceDeps {
  uow: UnitOfWork;
  /** Stores on the root connection, for reads that need no transaction. */
  read: Stores;
  blobs: BlobStore;
  clock: Clock;
  logger: Logger;
  limits: PushLimits;
}

export interface CreateModelInput {
  name: string;
  description?: string;
  owner?: string;
  tags?: string[];
}

export type RegistryService = ReturnType<typeof createRegistryService>;

/** The model registry's use cases: models, immutable versions, aliases with history, verified reads. */
export function createRegistryService(deps: RegistryServiceDeps) {
  const { uow, read, blobs, clock, logger } = deps;
  const now = () => clock.now().toISOString();

  const requireModel = async (store: RegistryStore, name: string): Promise<ModelRecord> => {
    const model = await store.findModelByName(name);
    if (!model) throw modelNotFound(name);
    return model;
  };

  const summarize = async (
    store: RegistryStore,
    versionId: string | null,
  ): Promise<VersionSummary | null> => {
    if (!versionId) return null;
    const v = await store.findVersionById(versionId);
    const m = v ? await store.findModelById(v.modelId) : null;
    return v && m ? { model: m.name, number: v.number, digest: sha(v.digest) } : null;
  };

  const toView = async (store: RegistryStore, model: ModelRecord, v: VersionRecord): Promise<VersionView> => {
    const aliases = (await store.listAliases(model.id))
      .filter((a) => a.versionId === v.id)
      .map((a) => a.name);
    return versionView(model.name, v, { aliases, parent: await summarize(store, v.lineage.parentVersionId) });
  };

  const pushVersion = createPushVersion({ ...deps, toView });

  return {
    pushVersion,

    async createModel(input: CreateModelInput, actor: Actor): Promise<ModelView> {
      if (!isSlug(input.name)) throw invalidName('Model', input.name);
      const tags = normalizeTags(input.tags);
      return uow.run(async ({ registry }) => {
        if (await registry.findModelByName(input.name)) throw modelExists(input.name);
        const at = now();
        const model: ModelRecord = {
          id: newId(),
          name: input.name,
          description: input.description ?? '',
          owner: input.owner ?? actor.id,
          tags,
          createdBy: actor.id,
          createdAt: at,
          updatedAt: at,
        };
        await registry.insertModel(model);
        return modelView(model);
      });
    },

    async updateModel(name: string, patch: { description?: string; tags?: string[] }): Promise<ModelView> {
      const tags = patch.tags ? normalizeTags(patch.tags) : undefined;
      return uow.run(async ({ registry }) => {
        const model = await requireModel(registry, name);
        const updatedAt = now();
        await registry.updateModel(model.id, {
          updatedAt,
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(tags ? { tags } : {}),
        });
        return modelView({
          ...model,
          updatedAt,
          description: patch.description ?? model.description,
          tags: tags ?? model.tags,
        });
      });
    },

    async getModel(
      name: string,
    ): Promise<ModelView & { aliases: AliasView[]; latestVersion: number | null }> {
      const model = await requireModel(read.registry, name);
      const latest = await read.registry.listVersions(model.id, { limit: 1 });
      return {
        ...modelView(model),
        aliases: await listAliasViews(read.registry, model),
        latestVersion: latest.items[0]?.number ?? null,
      };
    },

    async listModels(query: { tag?: string; limit: number; after?: string }): Promise<Page<ModelView>> {
      const page = await read.registry.listModels(query);
      return { items: page.items.map(modelView), next: page.next };
    },

    async listVersions(name: string, query: { limit: number; after?: string }): Promise<Page<VersionView>> {
      const model = await requireModel(read.registry, name);
      const page = await read.registry.listVersions(model.id, query);
      const items = [];
      for (const v of page.items) items.push(await toView(read.registry, model, v));
      return { items, next: page.next };
    },

    async getVersion(name: string, ref: string): Promise<VersionDetailView> {
      const model = await requireModel(read.registry, name);
      const version = await resolveVersion(read.registry, model, parseVersionRef(ref));
      const files = sortFiles(await read.registry.listVersionFiles(version.id));
      return versionDetailView(await toView(read.registry, model, version), version.kind, files);
    },

    /** A published version never changes: every edit is refused, whatever it asks. */
    async refuseVersionEdit(name: string, ref: string): Promise<never> {
      const model = await requireModel(read.registry, name);
      const version = await resolveVersion(read.registry, model, parseVersionRef(ref));
      throw versionImmutable(name, version.number);
    },

    /** Streams one file of a version after re-verifying its bytes against the stored digest. */
    async openFile(name: string, ref: string, path: string, actor: Actor) {
      const model = await requireModel(read.registry, name);
      const version = await resolveVersion(read.registry, model, parseVersionRef(ref));
      const file = (await read.registry.listVersionFiles(version.id)).find((f) => f.path === path);
      if (!file) throw fileNotInVersion(path);
      await blobs.verify(file.digest);
      const opened = await blobs.openVerified(file.digest);
      logger.info(
        {
          event: 'artifact.read',
          actor: actor.id,
          model: name,
          version: version.number,
          path,
          digest: sha(file.digest),
        },
        'artifact read',
      );
      return { file, version: version.number, stream: opened.stream };
    },

    async listAliases(name: string): Promise<AliasView[]> {
      return listAliasViews(read.registry, await requireModel(read.registry, name));
    },

    async setAlias(name: string, alias: string, input: { version: string; reason?: string }, actor: Actor) {
      if (!isSlug(alias)) throw invalidName('Alias', alias);
      const ref = parseVersionRef(input.version);
      return uow.run(async ({ registry }) => {
        const model = await requireModel(registry, name);
        await registry.lockModel(model.id);
        const target = await resolveVersion(registry, model, ref);
        const current = await registry.findAlias(model.id, alias);
        const at = now();
        const changed = current?.versionId !== target.id;
        if (changed) {
          await registry.upsertAlias({
            modelId: model.id,
            name: alias,
            versionId: target.id,
            updatedBy: actor.id,
            updatedAt: at,
          });
          await registry.insertAliasEvent({
            id: newId(),
            modelId: model.id,
            alias,
            fromVersionId: current?.versionId ?? null,
            toVersionId: target.id,
            actor: actor.id,
            reason: input.reason ?? null,
            at,
          });
        }
        const previous = current ? await registry.findVersionById(current.versionId) : null;
        return {
          changed,
          alias: {
            name: alias,
            version: target.number,
            digest: sha(target.digest),
            updatedBy: changed ? actor.id : (current?.updatedBy ?? actor.id),
            updatedAt: changed ? at : (current?.updatedAt ?? at),
          } satisfies AliasView,
          previous: previous?.number ?? null,
        };
      });
    },

    async removeAlias(name: string, alias: string, input: { reason?: string }, actor: Actor): Promise<void> {
      await uow.run(async ({ registry }) => {
        const model = await requireModel(registry, name);
        await registry.lockModel(model.id);
        const current = await registry.findAlias(model.id, alias);
        if (!current) throw aliasNotFound(name, alias);
        await registry.deleteAlias(model.id, alias);
        await registry.insertAliasEvent({
          id: newId(),
          modelId: model.id,
          alias,
          fromVersionId: current.versionId,
          toVersionId: null,
          actor: actor.id,
          reason: input.reason ?? null,
          at: now(),
        });
      });
    },

    async aliasHistory(
      name: string,
      alias: string,
      query: { limit: number; after?: string },
    ): Promise<Page<AliasEventView>> {
      if (!isSlug(alias)) throw invalidName('Alias', alias);
      const model = await requireModel(read.registry, name);
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

async function listAliasViews(store: RegistryStore, model: ModelRecord): Promise<AliasView[]> {
  const out: AliasView[] = [];
  for (const a of await store.listAliases(model.id)) {
    const v = await store.findVersionById(a.versionId);
    if (v)
      out.push({
        name: a.name,
        version: v.number,
        digest: sha(v.digest),
        updatedBy: a.updatedBy,
        updatedAt: a.updatedAt,
      });
  }
  return out;
}

function normalizeTags(tags: string[] | undefined): string[] {
  const out = [...new Set(tags ?? [])].sort();
  for (const t of out) if (!isSlug(t)) throw invalidName('Tag', t);
  return out;
}

export function sortFiles<T extends { path: string }>(files: T[]): T[] {
  return [...files].sort((a, b) => compareOmsPaths(a.path, b.path));
}
