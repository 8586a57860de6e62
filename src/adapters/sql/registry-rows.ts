import type { Insertable, Selectable } from 'kysely';
import type {
  AliasEvent,
  AliasRecord,
  ModelRecord,
  VersionRecord,
} from '../../modules/registry/registry.types.js';
import type { Database, VersionsTable } from './database.js';

/** The registry's rows and records, each way: what the store reads and writes, column by column. */
export function toModel(row: Selectable<Database['models']>, tags: string[]): ModelRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    owner: row.owner,
    tags,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A model's row (its tags live in their own table). */
export function fromModel(m: ModelRecord): Insertable<Database['models']> {
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    owner: m.owner,
    created_by: m.createdBy,
    created_by_name: m.createdByName,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
  };
}

export function fromVersion(v: VersionRecord): VersionsTable {
  return {
    id: v.id,
    model_id: v.modelId,
    number: v.number,
    digest: v.digest,
    kind: v.kind,
    format: v.format,
    size: v.size,
    file_count: v.fileCount,
    io_signature: v.ioSignature ? JSON.stringify(v.ioSignature) : null,
    scan: v.scan ? JSON.stringify(v.scan) : null,
    metrics: JSON.stringify(v.metrics),
    params: JSON.stringify(v.params),
    metadata: JSON.stringify(v.metadata),
    dataset_digests: JSON.stringify(v.lineage.datasetDigests),
    training_run: v.lineage.trainingRun,
    parent_version_id: v.lineage.parentVersionId,
    source_commit: v.lineage.sourceCommit,
    created_by: v.createdBy,
    created_by_name: v.createdByName,
    created_at: v.createdAt,
    deleted_at: v.deleted?.at ?? null,
    deleted_by: v.deleted?.by ?? null,
    deleted_by_name: v.deleted?.byName ?? null,
    delete_reason: v.deleted?.reason ?? null,
  };
}

export function toVersion(row: Selectable<VersionsTable>): VersionRecord {
  return {
    id: row.id,
    modelId: row.model_id,
    number: Number(row.number),
    digest: row.digest,
    kind: row.kind as VersionRecord['kind'],
    format: row.format,
    size: Number(row.size),
    fileCount: Number(row.file_count),
    ioSignature: row.io_signature ? JSON.parse(row.io_signature) : null,
    scan: row.scan ? JSON.parse(row.scan) : null,
    metrics: JSON.parse(row.metrics),
    params: JSON.parse(row.params),
    metadata: JSON.parse(row.metadata),
    lineage: {
      datasetDigests: JSON.parse(row.dataset_digests),
      trainingRun: row.training_run,
      parentVersionId: row.parent_version_id,
      sourceCommit: row.source_commit,
    },
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    deleted:
      row.deleted_at !== null
        ? {
            at: row.deleted_at,
            by: row.deleted_by ?? '',
            byName: row.deleted_by_name,
            reason: row.delete_reason ?? '',
          }
        : null,
  };
}

export function toAlias(row: Selectable<Database['aliases']>): AliasRecord {
  return {
    modelId: row.model_id,
    name: row.name,
    versionId: row.version_id,
    updatedBy: row.updated_by,
    updatedByName: row.updated_by_name,
    updatedAt: row.updated_at,
  };
}

export function toAliasEvent(row: Selectable<Database['alias_events']>): AliasEvent {
  return {
    id: row.id,
    modelId: row.model_id,
    alias: row.alias,
    fromVersionId: row.from_version_id,
    toVersionId: row.to_version_id,
    actor: row.actor,
    actorName: row.actor_name,
    reason: row.reason,
    at: row.at,
  };
}
