import type { ScanAttestation } from '../scanning/index.js';
import type { SignerRecord } from '../signing/index.js';
import type { OnnxSignature } from './formats/onnx-signature.js';
import type {
  AliasEvent,
  ModelRecord,
  ModelSummary,
  VersionDeletion,
  VersionFile,
  VersionRecord,
} from './registry.types.js';

/** What the API and CLI show of a model: the record without its internal id. */
export type ModelView = Omit<ModelRecord, 'id'>;

/** A model as a list shows it: with its newest live version and where its aliases point. */
export type ModelListView = ModelView & ModelSummary;

export interface VersionSummary {
  model: string;
  number: number;
  digest: string;
}

export interface VersionView extends VersionSummary {
  kind: VersionRecord['kind'];
  format: string;
  size: number;
  fileCount: number;
  ioSignature: OnnxSignature | null;
  scan: ScanAttestation | null;
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  lineage: {
    datasetDigests: string[];
    trainingRun: string | null;
    parent: VersionSummary | null;
    sourceCommit: string | null;
  };
  aliases: string[];
  /** Attached signatures, re-checked whenever they are shown. */
  signatures: SignatureView[];
  /** The environments a verified signature vouches for: the union of its signers' environments. */
  signedFor: string[];
  /** The kind-qualified principal id; `createdByName` is its display name (null on older records). */
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
  /** When, by whom and why the version was deleted; null while it is live. */
  deleted: VersionDeletion | null;
}

/** A signature as shown: `revoked` once its signer is revoked, `failed` when it does not (or no longer) verify. */
export interface SignatureView {
  signer: string;
  /** The environments the signer may sign for (its keyring entry, as it is now). */
  environments: string[];
  status: 'verified' | 'failed' | 'revoked';
  detail: string;
  attachedAt: string;
  attachedBy: string;
}

/** A trusted signer as shown: never its key material beyond the public key's hint. */
export interface SignerView {
  name: string;
  keyHint: string;
  publicKeyPem: string;
  environments: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export function signerView({ id: _id, ...view }: SignerRecord): SignerView {
  return view;
}

export interface VersionDetailView extends VersionView {
  files: { path: string; digest: string; size: number }[];
  /** The OpenSSF model-signing v1.0 resources whose digests make up the root digest, in order. */
  manifest: {
    serialization: { method: 'files'; hash_type: 'sha256'; allow_symlinks: false };
    resources: { name: string; algorithm: 'sha256'; digest: string }[];
  };
}

export interface AliasView {
  name: string;
  version: number;
  digest: string;
  updatedBy: string;
  updatedByName: string | null;
  updatedAt: string;
}

export interface AliasEventView {
  alias: string;
  from: number | null;
  to: number | null;
  actor: string;
  actorName: string | null;
  reason: string | null;
  at: string;
}

export const sha = (hex: string): string => `sha256:${hex}`;

export function modelView({ id: _id, ...view }: ModelRecord): ModelView {
  return view;
}

export function modelListView(model: ModelRecord, summary: ModelSummary | undefined): ModelListView {
  return {
    ...modelView(model),
    latestVersion: summary?.latestVersion ?? null,
    aliases: summary?.aliases ?? [],
  };
}

export function versionView(
  model: string,
  v: VersionRecord,
  extra: { aliases: string[]; parent: VersionSummary | null; signatures: SignatureView[] },
): VersionView {
  return {
    model,
    number: v.number,
    digest: sha(v.digest),
    kind: v.kind,
    format: v.format,
    size: v.size,
    fileCount: v.fileCount,
    ioSignature: v.ioSignature,
    scan: v.scan,
    metrics: v.metrics,
    params: v.params,
    metadata: v.metadata,
    lineage: {
      datasetDigests: v.lineage.datasetDigests,
      trainingRun: v.lineage.trainingRun,
      parent: extra.parent,
      sourceCommit: v.lineage.sourceCommit,
    },
    aliases: extra.aliases,
    signatures: extra.signatures,
    signedFor: signedFor(extra.signatures),
    createdBy: v.createdBy,
    createdByName: v.createdByName,
    createdAt: v.createdAt,
    deleted: v.deleted,
  };
}

/** Environments covered by at least one verified signature; a revoked or failing one vouches for none. */
export function signedFor(signatures: readonly SignatureView[]): string[] {
  const out = new Set<string>();
  for (const s of signatures) if (s.status === 'verified') for (const env of s.environments) out.add(env);
  return [...out].sort();
}

export function versionDetailView(
  view: VersionView,
  kind: VersionRecord['kind'],
  files: VersionFile[],
): VersionDetailView {
  return {
    ...view,
    files: files.map((f) => ({ path: f.path, digest: sha(f.digest), size: f.size })),
    manifest: {
      serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false },
      resources: files.map((f) => ({
        name: kind === 'file' ? '.' : f.path,
        algorithm: 'sha256',
        digest: f.digest,
      })),
    },
  };
}

export function aliasEventView(
  e: AliasEvent,
  numberOf: (versionId: string | null) => number | null,
): AliasEventView {
  return {
    alias: e.alias,
    from: numberOf(e.fromVersionId),
    to: numberOf(e.toVersionId),
    actor: e.actor,
    actorName: e.actorName,
    reason: e.reason,
    at: e.at,
  };
}
