/** Kysely's view of Warden's tables. JSON is stored as TEXT and timestamps as ISO-8601 UTC TEXT in every dialect. */
export interface Database {
  models: ModelsTable;
  model_tags: ModelTagsTable;
  versions: VersionsTable;
  version_files: VersionFilesTable;
  aliases: AliasesTable;
  alias_events: AliasEventsTable;
  blobs: BlobsTable;
}

export interface ModelsTable {
  id: string;
  name: string;
  description: string;
  owner: string;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
  updated_at: string;
}

export interface ModelTagsTable {
  model_id: string;
  tag: string;
}

export interface VersionsTable {
  id: string;
  model_id: string;
  number: number;
  digest: string;
  kind: string;
  format: string;
  size: number;
  file_count: number;
  io_signature: string | null;
  scan: string | null;
  metrics: string;
  params: string;
  metadata: string;
  dataset_digests: string;
  training_run: string | null;
  parent_version_id: string | null;
  source_commit: string | null;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
  deleted_by_name: string | null;
  delete_reason: string | null;
}

export interface VersionFilesTable {
  version_id: string;
  path: string;
  digest: string;
  size: number;
}

export interface AliasesTable {
  model_id: string;
  name: string;
  version_id: string;
  updated_by: string;
  updated_by_name: string | null;
  updated_at: string;
}

export interface AliasEventsTable {
  id: string;
  model_id: string;
  alias: string;
  from_version_id: string | null;
  to_version_id: string | null;
  actor: string;
  actor_name: string | null;
  reason: string | null;
  at: string;
}

/** One row per stored blob: the row a push and the collector lock on a digest. */
export interface BlobsTable {
  digest: string;
  /** Set when the blob may have lost its last live reference; the collector destroys it or clears this. */
  collect_requested_at: string | null;
}
