import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { createMutex } from '../../platform/mutex.js';
import { isSlug } from '../../platform/slug.js';
import type { BlobCollector } from '../artifacts/index.js';
import { type BlobStaging, blobTooLarge } from '../artifacts/index.js';
import type { CallContext } from '../identity/index.js';
import {
  compareOmsPaths,
  conflictingFilePaths,
  createPathSet,
  rootDigest,
  validateRelativePath,
} from '../manifest/index.js';
import { buildScanAttestation, createFileScanner, type FileScanResult } from '../scanning/index.js';
import { signatureMismatch, signatureUntrusted } from '../signing/index.js';
import { detectFormat } from './detect-format.js';
import { type OnnxSignature, OnnxSignatureReader } from './formats/onnx-signature.js';
import { paramsViolation } from './params-limits.js';
import {
  contentDeleted,
  duplicateFilePath,
  emptyUpload,
  invalidName,
  invalidParams,
  modelNotFound,
  parentNotFound,
  pushConflict,
  rootDigestMismatch,
  singleFileMismatch,
  tooManyFiles,
  versionExists,
  versionTooLarge,
} from './registry.errors.js';
import type { Stores } from './registry.ports.js';
import type { ModelRecord, VersionFile, VersionKind, VersionRecord } from './registry.types.js';
import { type VersionDetailView, type VersionView, versionDetailView } from './registry.views.js';
import { aliasResource, modelResource, successEvent, versionResource } from './registry-access.js';
import { moveAlias } from './registry-aliases.js';
import type { RegistryServiceDeps } from './registry-deps.js';
import { attachVerified } from './registry-signatures.js';
import { resolveVersion } from './resolve-version.js';
import { parseVersionRef, splitModelRef } from './version-ref.js';

export interface PushRequest {
  kind: VersionKind;
  format?: string;
  metrics?: Record<string, number>;
  params?: Record<string, unknown>;
  metadata?: Record<string, string>;
  lineage?: { datasetDigests?: string[]; trainingRun?: string; parent?: string; sourceCommit?: string };
  /** Aliases to point at the new version once it is published. */
  aliases?: string[];
  /** A model-signing bundle (JSON) over the version's files, verified and attached with the version. */
  signature?: string;
}

export interface IncomingFile {
  path: string;
  content: AsyncIterable<Uint8Array>;
}

export interface PushSource {
  files: AsyncIterable<IncomingFile>;
  /** The root digest the client computed while sending (hex), read once every file has been consumed. */
  expectedDigest(): string;
}

type PushDeps = Pick<
  RegistryServiceDeps,
  'uow' | 'read' | 'blobs' | 'clock' | 'logger' | 'limits' | 'access' | 'verifier'
> & {
  toView(stores: Stores, model: ModelRecord, v: VersionRecord): Promise<VersionView>;
  collector: BlobCollector;
};

interface Received {
  files: VersionFile[];
  total: number;
  onnx: OnnxSignature[];
  scans: FileScanResult[];
}

/**
 * Builds the push use case. Bytes are staged privately while they stream in; only when every file has
 * arrived, every limit held and the root digest matched are the blobs published and the version row
 * written. Any failure before that leaves the registry and the artifact store exactly as they were.
 */
export function createPushVersion(deps: PushDeps) {
  const { uow, read, blobs, clock, logger, limits } = deps;
  const { guard, audit } = deps.access;
  // Safety against destroying a blob under a version being published comes from the blob rows (claimed in
  // the publishing transaction, locked by the collector), in any process. Serializing this process's
  // publishing on top spares its pushes the retryable push_conflict a failed neighbour's clean-up could cause.
  const publishLock = createMutex();

  const receive = async (staging: BlobStaging, kind: VersionKind, source: PushSource): Promise<Received> => {
    const seen = new Set<string>();
    // Refused as each file arrives, before its bytes are read: names that clash on some user's disk.
    const pathSet = createPathSet();
    const out: Received = { files: [], total: 0, onnx: [], scans: [] };
    for await (const incoming of source.files) {
      const path = validateRelativePath(incoming.path);
      if (seen.has(path)) throw duplicateFilePath(path);
      seen.add(path);
      const clash = pathSet.add(path);
      if (clash) throw conflictingFilePaths(clash.rule, clash.reason, clash.path, clash.other);
      if (seen.size > limits.maxFilesPerVersion) throw tooManyFiles(limits.maxFilesPerVersion);
      const remaining = limits.maxVersionBytes - out.total;
      const reader = /\.onnx$/i.test(path) ? new OnnxSignatureReader() : null;
      // Pickle-capable files are scanned as their bytes stream past; nothing is ever unpickled.
      const scanner = createFileScanner(path);
      try {
        const staged = await staging.write(incoming.content, {
          maxBytes: Math.min(limits.maxFileBytes, remaining),
          ...(reader || scanner
            ? {
                onChunk: (chunk: Buffer) => {
                  reader?.push(chunk);
                  scanner?.push(chunk);
                },
              }
            : {}),
        });
        if (reader) out.onnx.push(reader.end());
        if (scanner) out.scans.push(await scanner.end());
        out.files.push({ path, digest: staged.digest, size: staged.size });
        out.total += staged.size;
      } catch (err) {
        if (blobTooLarge.is(err) && remaining < limits.maxFileBytes)
          throw versionTooLarge(limits.maxVersionBytes);
        if (err instanceof AppError && err.code === 'onnx_unreadable') {
          throw new AppError(err.code, err.kind, `${path}: ${err.message}`, { path });
        }
        throw err;
      }
    }
    if (out.files.length === 0) throw emptyUpload();
    if (kind === 'file' && (out.files.length !== 1 || out.files[0]?.path.includes('/'))) {
      throw singleFileMismatch(out.files.length);
    }
    out.files.sort((a, b) => compareOmsPaths(a.path, b.path));
    return out;
  };

  const resolveParent = async (model: ModelRecord, parent: string | undefined) => {
    if (!parent) return null;
    const { model: name, ref } = splitModelRef(parent.includes('@') ? parent : `${model.name}@${parent}`);
    const owner = name === model.name ? model : await read.registry.findModelByName(name);
    if (!owner || !ref) throw parentNotFound(parent);
    try {
      return await resolveVersion(read.registry, owner, parseVersionRef(ref));
    } catch {
      throw parentNotFound(parent);
    }
  };

  /** A push that committed blobs and then failed gives them back; the collector keeps any that another version uses. */
  const removeOrphans = async (digests: string[]) => {
    await deps.collector.release(digests, clock.now().toISOString());
  };

  const refuseExisting = (modelName: string, existing: VersionRecord | undefined, digest: string) => {
    if (existing?.deleted) throw contentDeleted(modelName, existing.number, digest);
    if (existing) throw versionExists(modelName, existing.number, digest);
  };

  /**
   * Claims every blob the version relies on (the row the collector locks too), then checks that the ones
   * this push found already stored are still there: a deletion may have destroyed one since.
   */
  const claimBlobs = async (stores: Stores, modelName: string, files: VersionFile[], created: string[]) => {
    await stores.registry.claimBlobs(files.map((f) => f.digest));
    const fresh = new Set(created);
    for (const file of files) {
      if (!fresh.has(file.digest) && !(await blobs.stat(file.digest))) throw pushConflict(modelName);
    }
  };

  /**
   * Authorizes and checks a signature sent with a push before anything is published, so an untrusted or
   * mismatched one costs no blob. It is verified again, and recorded, in the version's transaction.
   */
  const precheckSignature = async (
    model: ModelRecord,
    request: PushRequest,
    received: Received,
    digest: string,
    ctx: CallContext,
  ) => {
    const number = await read.registry.nextVersionNumber(model.id);
    const format = request.format ?? detectFormat(received.files);
    const prospective = {
      ...buildVersion(model, request, received, digest, null, ctx.principal, clock),
      number,
      format,
    };
    await guard.require(ctx, 'registry:signature:attach', versionResource(model, prospective));
    const check = await deps.verifier.check(read.signatures, request.signature ?? '', {
      digest,
      resources: received.files.map((f) => ({
        name: request.kind === 'file' ? '.' : f.path,
        digest: f.digest,
      })),
    });
    if (!check.ok && check.reason === 'untrusted') throw signatureUntrusted();
    if (!check.ok && check.reason === 'mismatch') throw signatureMismatch(model.name, number, check.detail);
  };

  return async function pushVersion(
    modelName: string,
    request: PushRequest,
    source: PushSource,
    ctx: CallContext,
  ): Promise<VersionDetailView> {
    const aliases = [...new Set(request.aliases ?? [])];
    for (const alias of aliases) if (!isSlug(alias)) throw invalidName('Alias', alias);
    // The HTTP schema refuses these too; other callers (and the store's serializer) rely on this check.
    const paramsProblem = request.params === undefined ? null : paramsViolation(request.params);
    if (paramsProblem) throw invalidParams(paramsProblem);
    const model = await read.registry.findModelByName(modelName);
    if (!model) throw modelNotFound(modelName);
    // Authorized before a single byte of the files is read.
    await guard.require(ctx, 'registry:version:push', modelResource(model));
    for (const alias of aliases) await guard.require(ctx, 'registry:alias:set', aliasResource(model, alias));
    const parent = await resolveParent(model, request.lineage?.parent);

    const staging = await blobs.createStaging();
    try {
      const received = await receive(staging, request.kind, source);
      const digest = rootDigest(received.files.map((f) => ({ name: f.path, digest: f.digest })));
      const expected = source.expectedDigest();
      if (expected !== digest) throw rootDigestMismatch(expected, digest);
      if (request.signature !== undefined) await precheckSignature(model, request, received, digest, ctx);

      return await publishLock.run(async () => {
        refuseExisting(
          modelName,
          (await read.registry.findVersionsByDigestPrefix(model.id, digest))[0],
          digest,
        );
        const { created } = await staging.commit();
        try {
          const view = await uow.run(async (stores) => {
            const { registry, audit: auditStore } = stores;
            await registry.lockModel(model.id);
            refuseExisting(
              modelName,
              (await registry.findVersionsByDigestPrefix(model.id, digest))[0],
              digest,
            );
            await claimBlobs(stores, modelName, received.files, created);
            const version = buildVersion(
              model,
              request,
              received,
              digest,
              parent?.id ?? null,
              ctx.principal,
              clock,
            );
            version.number = await registry.nextVersionNumber(model.id);
            await registry.insertVersion(version, received.files);
            await audit.append(
              auditStore,
              successEvent(
                ctx,
                'registry:version:push',
                `version:${modelName}@${version.number}`,
                {
                  digest: `sha256:${digest}`,
                  files: received.files.length,
                  size: received.total,
                },
                model.owner,
              ),
            );
            if (request.signature !== undefined) {
              const bundle = request.signature;
              const at = version.createdAt;
              await attachVerified(stores, ctx, { model, version, files: received.files, bundle, at }, deps);
            }
            for (const alias of aliases) {
              const reason = `set on push of version ${version.number}`;
              const at = version.createdAt;
              await moveAlias(stores, audit, ctx, { model, alias, target: version, reason, at });
            }
            return versionDetailView(await deps.toView(stores, model, version), version.kind, received.files);
          });
          logger.info(
            {
              event: 'version.pushed',
              actor: ctx.principal.id,
              model: modelName,
              version: view.number,
              digest: view.digest,
            },
            'version pushed',
          );
          return view;
        } catch (err) {
          await removeOrphans(created);
          throw err;
        }
      });
    } finally {
      await staging.discard();
    }
  };
}

function buildVersion(
  model: ModelRecord,
  request: PushRequest,
  received: Received,
  digest: string,
  parentId: string | null,
  actor: { id: string; name: string },
  clock: Clock,
): VersionRecord {
  return {
    id: newId(),
    modelId: model.id,
    number: 0,
    digest,
    kind: request.kind,
    format: request.format ?? detectFormat(received.files),
    size: received.total,
    fileCount: received.files.length,
    ioSignature: received.onnx.length === 1 ? (received.onnx[0] ?? null) : null,
    scan: received.scans.length > 0 ? buildScanAttestation(received.scans, clock.now()) : null,
    metrics: request.metrics ?? {},
    params: request.params ?? {},
    metadata: request.metadata ?? {},
    lineage: {
      datasetDigests: request.lineage?.datasetDigests ?? [],
      trainingRun: request.lineage?.trainingRun ?? null,
      parentVersionId: parentId,
      sourceCommit: request.lineage?.sourceCommit ?? null,
    },
    createdBy: actor.id,
    createdByName: actor.name,
    createdAt: clock.now().toISOString(),
    deleted: null,
  };
}
