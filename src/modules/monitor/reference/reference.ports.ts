import type { VersionRecord } from '../../registry/index.js';
import type { ColumnRole, ColumnSource, ReferenceProfile } from '../monitor.types.js';

export type DatasetFormat = ReferenceProfile['format'];

/** One cell as the readers give it: a finite number, a string, or null when missing, empty or not finite. */
export type DatasetCell = number | string | null;

/** A dataset's rows as they stream out of a reader, each aligned with `columns`. */
export interface DatasetRows {
  columns: string[];
  /** What `at` counts in errors: the file's line (CSV, JSON Lines) or the row (Parquet), from 1. */
  unit: 'line' | 'row';
  rows: AsyncIterable<{ at: number; values: DatasetCell[] }>;
}

/** An upload held privately (bounded in size) so it can be read twice: once parsed, once stored. */
export interface SpooledDataset {
  size: number;
  /** SHA-256 (hex) of the bytes. */
  digest: string;
  open(): AsyncIterable<Uint8Array>;
  read(format: DatasetFormat): Promise<DatasetRows>;
  discard(): Promise<void>;
}

/** Where uploads wait while they are checked; an adapter (a private temporary file) implements it. */
export interface DatasetSpool {
  /** Takes the whole stream; throws monitor_reference_too_large past `maxBytes` (nothing kept). */
  spool(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<SpooledDataset>;
}

/** The caller's say over roles: a role per column, and where a feature's values are in a request. */
export interface RoleOverrides {
  roles?: Record<string, ColumnRole>;
  sources?: Record<string, Omit<ColumnSource, 'side'> & { side?: ColumnSource['side'] }>;
}

/** One version's reference dataset as stored: the blob's digest and the profile built from it. */
export interface ReferenceRecord {
  versionId: string;
  modelId: string;
  version: number;
  profile: ReferenceProfile;
  /** Bytes of the dataset file. */
  size: number;
  setBy: string;
  setByName: string | null;
  setAt: string;
}

export interface ReferenceStore {
  find(versionId: string): Promise<ReferenceRecord | null>;
  /** Inserts or replaces the version's reference (one per version; history is in the audit log). */
  save(record: ReferenceRecord): Promise<void>;
}

export interface ReferenceStores {
  references: ReferenceStore;
}

/** The read port monitoring's windows use: a version's reference profile, or null when it has none. */
export interface ReferenceProfiles {
  profileFor(model: string, version: number): Promise<ReferenceProfile | null>;
}

/** Reference rows as the model takes them: one input tensor, a row of its last axis per dataset row. */
export interface ScoringInput {
  tensor: string;
  /** The tensor's element type in the signature (`float32`, `float64`…). */
  dtype: string;
  rows: number[][];
}

/** One output tensor of the model run on the reference rows (row-major, `shape[0]` rows). */
export interface ScoredOutput {
  shape: number[];
  data: (number | string)[];
}

/**
 * Runs a version's own model (verified bytes, in process) over reference rows, for a reference without
 * the model's answers: what prediction drift compares with. An adapter (ONNX Runtime) implements it.
 */
export interface ReferenceScorer {
  score(version: VersionRecord, input: ScoringInput): Promise<Record<string, ScoredOutput>>;
}
