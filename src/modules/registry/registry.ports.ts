import type { AliasEvent, AliasRecord, ModelRecord, VersionFile, VersionRecord } from './registry.types.js';

export interface Page<T> {
  items: T[];
  /** Pass back as `after` for the next page; null on the last page. */
  next: string | null;
}

/** Persistence of the registry; every method runs on the transaction the store was built on. */
export interface RegistryStore {
  insertModel(model: ModelRecord): Promise<void>;
  updateModel(id: string, patch: { description?: string; tags?: string[]; updatedAt: string }): Promise<void>;
  findModelByName(name: string): Promise<ModelRecord | null>;
  findModelById(id: string): Promise<ModelRecord | null>;
  /** Serializes writers of one model (row lock where the backend has them). */
  lockModel(id: string): Promise<void>;
  listModels(query: { tag?: string; limit: number; after?: string }): Promise<Page<ModelRecord>>;

  nextVersionNumber(modelId: string): Promise<number>;
  insertVersion(version: VersionRecord, files: VersionFile[]): Promise<void>;
  findVersionByNumber(modelId: string, number: number): Promise<VersionRecord | null>;
  findVersionsByDigestPrefix(modelId: string, prefix: string): Promise<VersionRecord[]>;
  findVersionById(id: string): Promise<VersionRecord | null>;
  listVersions(modelId: string, query: { limit: number; after?: string }): Promise<Page<VersionRecord>>;
  listVersionFiles(versionId: string): Promise<VersionFile[]>;
  /** How many stored version files name this blob (any model). */
  countBlobReferences(digest: string): Promise<number>;

  findAlias(modelId: string, name: string): Promise<AliasRecord | null>;
  listAliases(modelId: string): Promise<AliasRecord[]>;
  upsertAlias(alias: AliasRecord): Promise<void>;
  deleteAlias(modelId: string, name: string): Promise<void>;
  insertAliasEvent(event: AliasEvent): Promise<void>;
  listAliasEvents(
    modelId: string,
    alias: string,
    query: { limit: number; after?: string },
  ): Promise<Page<AliasEvent>>;
}

export type { Stores, UnitOfWork } from '../stores.js';
