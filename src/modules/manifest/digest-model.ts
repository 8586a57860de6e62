import { type CollectModelFilesOptions, collectModelFiles } from './collect-model-files.js';
import { type FileDigest, sha256File } from './hash-file.js';
import { rootDigest } from './root-digest.js';

export interface DigestModelOptions extends CollectModelFilesOptions {
  /** Called after every read; `bytesTotal` is the size of the files when they were listed. */
  onProgress?(bytesDone: number, bytesTotal: number): void;
  /**
   * Hashes several whole files at once (the CLI passes a worker-thread pool so every core hashes), in the
   * order given (`sizes[i]`, the size of `paths[i]` when listed, lets it start the largest first). Used only
   * for models of more than one file; without it files are hashed one at a time here.
   */
  hashFiles?(
    paths: readonly string[],
    onProgress?: (bytesDone: number) => void,
    sizes?: readonly number[],
  ): Promise<FileDigest[]>;
  /**
   * Hashes one whole file (a single-file model, or each file when there is no `hashFiles`); defaults to
   * `sha256File`, which never blocks the event loop. The CLI passes `hashFileHere` (synchronous reads,
   * faster when nothing else runs).
   */
  hashFile?(path: string, onProgress?: (bytesDone: number) => void): Promise<FileDigest>;
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
  if (options.hashFiles && model.files.length > 1) {
    const onProgress = options.onProgress;
    const digests = await options.hashFiles(
      model.files.map((f) => f.absPath),
      onProgress ? (bytesDone) => onProgress(bytesDone, bytesTotal) : undefined,
      model.files.map((f) => f.size),
    );
    for (const [i, file] of model.files.entries()) {
      const { digest, size } = digests[i] as FileDigest;
      resources.push({ name: file.path, digest, size });
      done += size;
    }
  } else {
    // One file at a time, on this thread.
    const hashFile = options.hashFile ?? sha256File;
    for (const file of model.files) {
      const progress = options.onProgress
        ? (fileDone: number) => options.onProgress?.(done + fileDone, bytesTotal)
        : undefined;
      const { digest, size } = await hashFile(file.absPath, progress);
      resources.push({ name: file.path, digest, size });
      done += size;
    }
  }
  return {
    rootDigest: rootDigest(resources),
    kind: model.kind,
    resources,
    totalSize: done,
    ignorePaths: model.ignorePaths,
  };
}
