import { AppError } from '../../platform/errors.js';
import { type BlobStaging, blobTooLarge } from '../artifacts/index.js';
import {
  compareOmsPaths,
  conflictingFilePaths,
  createPathSet,
  validateRelativePath,
} from '../manifest/index.js';
import { createFileScanner } from '../scanning/index.js';
import { OnnxSignatureReader } from './formats/onnx-signature.js';
import type { PushRequest, PushSource, Received } from './push-request.js';
import {
  duplicateFilePath,
  emptyUpload,
  singleFileMismatch,
  tooManyFiles,
  versionTooLarge,
} from './registry.errors.js';
import type { PushLimits } from './registry-deps.js';

/**
 * Streams a push's files into private staging, refusing each as early as it can: a path breaking a rule
 * or clashing with another before its bytes are read, a file or version over its limit as the bytes pass.
 * ONNX input/output signatures are read and pickle-capable files scanned on the way (nothing is unpickled).
 */
export async function receiveFiles(
  staging: BlobStaging,
  kind: PushRequest['kind'],
  source: PushSource,
  limits: PushLimits,
): Promise<Received> {
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
}
