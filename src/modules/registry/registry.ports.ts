import type { Page } from '../../platform/page.js';
import type { UnitOfWork as UnitOfWorkOf } from '../../platform/unit-of-work.js';
import type { BlobBookkeeping } from '../artifacts/index.js';
import type { AuditStore } from '../audit/index.js';
import type { OutboxStore } from '../outbox/index.js';
import type { SignatureStore } from '../signing/index.js';
import type {
  AliasEvent,
  AliasRecord,
  ModelListQuery,
  ModelRecord,
  ModelSummary,
  VersionDeletion,
  VersionFile,
  VersionRecord,
} from './registry.types.js';

export type { Page } from '../../platform/page.js';

/** Persistence of the registry; every method runs on the transaction the store was built on. */
export interface RegistryStore extends BlobBookkeeping {
  insertModel(model: ModelRecord): Promise<void>;
  updateModel(id: string, patch: { description?: string; tags?: string[]; updatedAt: string }): Promise<void>;
  findModelByName(name: string): Promise<ModelRecord | null>;
  findModelById(id: string): Promise<ModelRecord | null>;
  /** Serializes writers of one model (row lock where the backend has them). */
  lockModel(id: string): Promise<void>;
  /** By name; `nameContains` is a plain substring (no wildcards), matched case-insensitively. */
  listModels(query: ModelListQuery): Promise<Page<ModelRecord>>;
  /** Each model's newest live version and its aliases, for a page of models at once. */
  summarizeModels(modelIds: string[]): Promise<Map<string, ModelSummary>>;

  nextVersionNumber(modelId: string): Promise<number>;
  insertVersion(version: VersionRecord, files: VersionFile[]): Promise<void>;
  findVersionByNumber(modelId: string, number: number): Promise<VersionRecord | null>;
  findVersionsByDigestPrefix(modelId: string, prefix: string): Promise<VersionRecord[]>;
  findVersionById(id: string): Promise<VersionRecord | null>;
  /** Newest first; deleted versions only when asked for. */
  listVersions(
    modelId: string,
    query: { limit: number; after?: string; includeDeleted?: boolean },
  ): Promise<Page<VersionRecord>>;
  listVersionFiles(versionId: string): Promise<VersionFile[]>;
  /**
   * Turns a version into a tombstone: its record, files and history stay; data attached to it (a monitoring
   * reference dataset's profile, which holds sampled rows) is forgotten. List its blobs first.
   */
  markVersionDeleted(id: string, deletion: VersionDeletion): Promise<void>;
  // Blob bookkeeping (BlobBookkeeping, from artifacts): one row per stored blob, counted against live versions.

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

/**
 * The stores a registry use case needs, each bound to the same transaction (or to the root connection
 * for reads). The registry declares them; the adapter's store set provides a superset.
 */
export interface Stores {
  registry: RegistryStore;
  audit: AuditStore;
  signatures: SignatureStore;
  /** Events for webhooks, written with the change that caused them (through the access contract). */
  outbox: OutboxStore;
}

/** Runs a use case on one transaction: the stores it is given are bound to it; a throw rolls back. */
export type UnitOfWork = UnitOfWorkOf<Stores>;
