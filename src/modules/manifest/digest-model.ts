import { type CollectModelFilesOptions, collectModelFiles } from './collect-model-files.js';
import { sha256File } from './hash-file.js';
import { rootDigest } from './root-digest.js';

export interface DigestModelOptions extends CollectModelFilesOptions {
  /** Called after every 1 MiB read; `bytesTotal` is the size of the files when they were listed. */
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

export interface ModelResource {
  /** POSIX path relative to the model root; `.` for a single-file model. */
  name: string;
  /** SHA-256, lowercase hex. */
  digest: string;
  size: number;
}

export interface ModelDigest {
  /** SHA-256 over the resource digests in manifest order: the in-toto subject digest. */
  rootDigest: string;
  kind: 'file' | 'directory';
  /** In manifest order. */
  resources: ModelResource[];
  totalSize: number;
  /** The ignore paths applied, relative to the model root (recorded in the signature). */
  ignorePaths: string[];
}

/** Hashes a model file or directory into the OpenSSF model signing `files` manifest. */
export async function digestModel(path: string, options: DigestModelOptions = {}): Promise<ModelDigest> {
  const model = await collectModelFiles(path, options);
  const bytesTotal = model.files.reduce((sum, file) => sum + file.size, 0);
  const resources: ModelResource[] = [];
  let done = 0;
  // One file at a time: hashing runs on the main thread, so parallel reads would not hash any faster.
  for (const file of model.files) {
    const progress = options.onProgress
      ? (fileDone: number) => options.onProgress?.(done + fileDone, bytesTotal)
      : undefined;
    const { digest, size } = await sha256File(file.absPath, progress);
    resources.push({ name: file.path, digest, size });
    done += size;
  }
  return {
    rootDigest: rootDigest(resources),
    kind: model.kind,
    resources,
    totalSize: done,
    ignorePaths: model.ignorePaths,
  };
}
