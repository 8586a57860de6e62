import type { ScanAttestation } from '../scanning/index.js';
import type { OnnxSignature } from './formats/onnx-signature.js';

/** Who did something. Until authentication lands every call is made by the local operator. */
export interface Actor {
  id: string;
}

export interface ModelRecord {
  id: string;
  name: string;
  description: string;
  owner: string;
  tags: string[];
  /** The kind-qualified principal id (`token:<id>`, `oidc:<issuer>#<sub>`): exactly who. */
  createdBy: string;
  /** That principal's display name when it acted; null on records written before names were kept. */
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ModelListQuery {
  tag?: string;
  nameContains?: string;
  limit: number;
  after?: string;
}

/** What a list of models shows beside each record: its newest live version and where its aliases point. */
export interface ModelSummary {
  latestVersion: number | null;
  aliases: { name: string; version: number }[];
}

export interface Lineage {
  datasetDigests: string[];
  trainingRun: string | null;
  parentVersionId: string | null;
  sourceCommit: string | null;
}

export interface VersionFile {
  path: string;
  digest: string;
  size: number;
}

export type VersionKind = 'file' | 'directory';

export interface VersionRecord {
  id: string;
  modelId: string;
  number: number;
  /** Root digest of the OpenSSF model-signing v1.0 manifest (hex sha256): the version's identity. */
  digest: string;
  kind: VersionKind;
  format: string;
  size: number;
  fileCount: number;
  ioSignature: OnnxSignature | null;
  /** What the pickle scanner found in the version's files at push time; null when no file could hold a pickle. */
  scan: ScanAttestation | null;
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  lineage: Lineage;
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
  /** Set once the version is deleted: its record stays (a tombstone), its bytes are destroyed. */
  deleted: VersionDeletion | null;
}

export interface VersionDeletion {
  at: string;
  by: string;
  byName: string | null;
  reason: string;
}

export interface AliasRecord {
  modelId: string;
  name: string;
  versionId: string;
  updatedBy: string;
  updatedByName: string | null;
  updatedAt: string;
}

export interface AliasEvent {
  id: string;
  modelId: string;
  alias: string;
  fromVersionId: string | null;
  toVersionId: string | null;
  actor: string;
  actorName: string | null;
  reason: string | null;
  at: string;
}

/** How a caller names a version: its number, its root digest, or an alias that points at it. */
export type VersionRef = { number: number } | { digest: string } | { alias: string };
