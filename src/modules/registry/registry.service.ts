import { newId } from '../../platform/ids.js';
import { isSlug } from '../../platform/slug.js';
import { createBlobCollector } from '../artifacts/index.js';
import type { CallContext } from '../identity/index.js';
import { compareOmsPaths } from '../manifest/index.js';
import type { PolicyAction } from '../policy/index.js';
import { modelToBe, normalizeTags } from './model-to-be.js';
import { createPushVersion } from './push-version.js';
import { readVisibleModels } from './read-visible-models.js';
import {
  fileNotInVersion,
  invalidName,
  modelExists,
  modelNotFound,
  versionDeleted,
  versionImmutable,
} from './registry.errors.js';
import type { Page, RegistryStore, Stores } from './registry.ports.js';
import type { ModelListQuery, ModelRecord, VersionRecord } from './registry.types.js';
import {
  type AliasView,
  type ModelListView,
  type ModelView,
  modelListView,
  modelView,
  type SignatureView,
  sha,
  type VersionDetailView,
  type VersionSummary,
  type VersionView,
  versionDetailView,
  versionView,
} from './registry.views.js';
import { eventModel, modelResource, versionResource } from './registry-access.js';
import { createAliasUseCases, listAliasViews } from './registry-aliases.js';
import { createDeletionUseCases } from './registry-deletion.js';
import type { RegistryServiceDeps } from './registry-deps.js';
import { createSignatureUseCases, listSignatureViews } from './registry-signatures.js';
import { resolveVersion } from './resolve-version.js';
import { parseVersionRef } from './version-ref.js';

export type { RegistryServiceDeps } from './registry-deps.js';

export interface CreateModelInput {
  name: string;
  description?: string;
  owner?: string;
  tags?: string[];
}

export type RegistryService = ReturnType<typeof createRegistryService>;

/**
 * The model registry's use cases: models, immutable versions, aliases with history, verified reads. Every
 * call is authorized against the real resource, and every change is audited in its own transaction.
 */
export function createRegistryService(deps: RegistryServiceDeps) {
  const { uow, read, blobs, clock, logger } = deps;
  const { access } = deps;
  const now = () => clock.now().toISOString();

  const requireModel = async (store: RegistryStore, name: string): Promise<ModelRecord> => {
    const model = await store.findModelByName(name);
    if (!model) throw modelNotFound(name);
    return model;
  };
  /** The model, once the caller may perform `action` on it. */
  const modelFor = async (ctx: CallContext, action: PolicyAction, name: string) => {
    const model = await requireModel(read.registry, name);
    await access.require(ctx, action, modelResource(model));
    return model;
  };
  /** The version a reference names, once the caller may perform `action` on it. */
  const versionFor = async (ctx: CallContext, action: PolicyAction, name: string, ref: string) => {
    const model = await requireModel(read.registry, name);
    const version = await resolveVersion(read.registry, model, parseVersionRef(ref));
    await access.require(ctx, action, versionResource(model, version));
    return { model, version };
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

  const toView = async (stores: Stores, model: ModelRecord, v: VersionRecord): Promise<VersionView> => {
    const store = stores.registry;
    const aliases = (await store.listAliases(model.id))
      .filter((a) => a.versionId === v.id)
      .map((a) => a.name);
    return versionView(model.name, v, {
      aliases,
      parent: await summarize(store, v.lineage.parentVersionId),
      signatures: await listSignatureViews(stores, v, deps.verifier),
    });
  };

  const collector = createBlobCollector({ uow, blobs, logger });
  const pushVersion = createPushVersion({ ...deps, toView, collector });

  return {
    pushVersion,
    ...createDeletionUseCases({ ...deps, collector, versionFor, toView }),
    /** Finishes blob destructions a crash interrupted (called at start-up). */
    collectPendingBlobs: () => collector.collectPending(),
    ...createAliasUseCases({ ...deps, requireModel, modelFor }),
    ...createSignatureUseCases({ ...deps, versionFor }),

    async createModel(input: CreateModelInput, ctx: CallContext): Promise<ModelView> {
      if (!isSlug(input.name)) throw invalidName('Model', input.name);
      const { owner, tags } = modelToBe(ctx, input);
      await access.require(ctx, 'registry:model:create', modelResource({ name: input.name, owner, tags }));
      return uow.run(async (stores) => {
        const { registry } = stores;
        if (await registry.findModelByName(input.name)) throw modelExists(input.name);
        const at = now();
        const model: ModelRecord = {
          id: newId(),
          name: input.name,
          description: input.description ?? '',
          owner,
          tags,
          createdBy: ctx.principal.id,
          createdByName: ctx.principal.name,
          createdAt: at,
          updatedAt: at,
        };
        await registry.insertModel(model);
        await access.record(stores, ctx, { type: 'registry.model.created', model: eventModel(model), tags });
        return modelView(model);
      });
    },

    async updateModel(
      name: string,
      patch: { description?: string; tags?: string[] },
      ctx: CallContext,
    ): Promise<ModelView> {
      const tags = patch.tags ? normalizeTags(patch.tags) : undefined;
      await modelFor(ctx, 'registry:model:update', name);
      return uow.run(async (stores) => {
        const { registry } = stores;
        const model = await requireModel(registry, name);
        const updatedAt = now();
        await registry.updateModel(model.id, {
          updatedAt,
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(tags ? { tags } : {}),
        });
        await access.record(stores, ctx, {
          type: 'registry.model.updated',
          model: eventModel(model),
          descriptionChanged: patch.description !== undefined,
          tags: tags ? { now: tags, before: model.tags } : null,
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
      ctx: CallContext,
    ): Promise<ModelView & { aliases: AliasView[]; latestVersion: number | null }> {
      const model = await modelFor(ctx, 'registry:model:read', name);
      const latest = await read.registry.listVersions(model.id, { limit: 1 });
      return {
        ...modelView(model),
        aliases: await listAliasViews(read.registry, model),
        latestVersion: latest.items[0]?.number ?? null,
      };
    },

    /**
     * Models the caller may read, by name, each with its latest version and aliases. Others are left out,
     * not reported; the store is read on until the page is full or a bounded number of rows was skipped, so
     * a team-scoped caller is not handed pages of nothing.
     */
    async listModels(query: ModelListQuery, ctx: CallContext): Promise<Page<ModelListView>> {
      await access.require(ctx, 'registry:model:list', { type: 'Registry' });
      const visible = await readVisibleModels(read.registry, query, (m) =>
        access.allows(ctx, 'registry:model:read', modelResource(m)),
      );
      const summaries = await read.registry.summarizeModels(visible.items.map((m) => m.id));
      return {
        items: visible.items.map((m) => modelListView(m, summaries.get(m.id))),
        next: visible.next,
      };
    },

    async listVersions(
      name: string,
      query: { limit: number; after?: string; includeDeleted?: boolean },
      ctx: CallContext,
    ): Promise<Page<VersionView>> {
      const model = await modelFor(ctx, 'registry:version:list', name);
      const page = await read.registry.listVersions(model.id, query);
      const items = [];
      for (const v of page.items) items.push(await toView(read, model, v));
      return { items, next: page.next };
    },

    async getVersion(name: string, ref: string, ctx: CallContext): Promise<VersionDetailView> {
      const { model, version } = await versionFor(ctx, 'registry:version:read', name, ref);
      const files = sortFiles(await read.registry.listVersionFiles(version.id));
      return versionDetailView(await toView(read, model, version), version.kind, files);
    },

    /** A published version never changes: every edit is refused, whatever it asks. */
    async refuseVersionEdit(name: string, ref: string, ctx: CallContext): Promise<never> {
      const { version } = await versionFor(ctx, 'registry:version:update', name, ref);
      throw versionImmutable(name, version.number);
    },

    /**
     * A version's files, whole, each read through the same verified path as a download (authenticated
     * chunk by chunk by the encrypted store, or re-hashed first): for Warden itself, the gateway loading a
     * deployed version. There is no caller, so nothing is authorized or audited here: the gateway records
     * the load.
     */
    async readVerifiedFiles(version: VersionRecord): Promise<{ path: string; bytes: Buffer }[]> {
      const out = [];
      for (const file of sortFiles(await read.registry.listVersionFiles(version.id))) {
        if (!blobs.releasesOnlyVerifiedBytes) await blobs.verify(file.digest);
        const opened = await blobs.openVerified(file.digest);
        const chunks: Buffer[] = [];
        for await (const chunk of opened.stream) chunks.push(chunk);
        out.push({ path: file.path, bytes: Buffer.concat(chunks) });
      }
      return out;
    },

    /**
     * Streams one file of a version after re-verifying its bytes against the stored digest. The download is
     * on the audit record before a byte leaves: if it cannot be recorded, it is not served.
     */
    async openFile(name: string, ref: string, path: string, ctx: CallContext) {
      const { model, version } = await versionFor(ctx, 'registry:artifact:read', name, ref);
      if (version.deleted) throw versionDeleted(name, version.number, version.deleted);
      const file = (await read.registry.listVersionFiles(version.id)).find((f) => f.path === path);
      if (!file) throw fileNotInVersion(path);
      // One pass where the store authenticates every chunk before releasing it (the encrypted store);
      // otherwise the whole blob is re-hashed before a byte is sent.
      if (!blobs.releasesOnlyVerifiedBytes) await blobs.verify(file.digest);
      // Signatures are re-checked as the bytes leave: the result travels with the download.
      const signatures = signatureState(await listSignatureViews(read, version, deps.verifier));
      const opened = await blobs.openVerified(file.digest);
      try {
        await access.recordAlone(ctx, {
          type: 'registry.artifact.read',
          model: eventModel(model),
          version: version.number,
          path,
          digest: file.digest,
          signatures,
        });
      } catch (err) {
        (opened.stream as { destroy?: () => void }).destroy?.();
        throw err;
      }
      logger.debug({ model: name, version: version.number, path }, 'artifact read');
      return { file, version: version.number, signatures, stream: opened.stream };
    },
  };
}

/**
 * One word for a version's signatures: `none`, `verified` when at least one verifies, else `revoked` when
 * every signer was revoked, else `failed`.
 */
export function signatureState(views: readonly SignatureView[]): 'none' | 'verified' | 'failed' | 'revoked' {
  if (views.length === 0) return 'none';
  if (views.some((v) => v.status === 'verified')) return 'verified';
  return views.every((v) => v.status === 'revoked') ? 'revoked' : 'failed';
}

export function sortFiles<T extends { path: string }>(files: T[]): T[] {
  return [...files].sort((a, b) => compareOmsPaths(a.path, b.path));
}
