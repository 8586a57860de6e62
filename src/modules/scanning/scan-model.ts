import { createReadStream } from 'node:fs';
import path from 'node:path';
import { type CollectModelFilesOptions, collectModelFiles } from '../manifest/index.js';
import { createContentScanner, type PickleMode } from './content-scanner.js';
import type { FileScanResult, ScanAttestation } from './scan-types.js';
import { maxSeverity, type Severity, severityRank } from './severity.js';

/** Extensions that name a pickle (or a PyTorch/joblib container of one): content that does not parse is a finding. */
const pickleNames = /\.(pkl|pickle|pt|pth|joblib|ckpt|dill)$/i;
/** Formats no loader unpickles: never scanned. Every other name is sniffed (.bin, .npy, .npz, no extension, …). */
const nonPickleNames =
  /\.(safetensors|onnx|gguf|ggml|tflite|pb|pbtxt|mlmodel|json|jsonl|txt|md|rst|yaml|yml|toml|cfg|ini|csv|tsv|parquet|arrow|png|jpe?g|gif|svg|webp|wav|mp3|flac|html|xml|model|tiktoken|vocab|spm)$/i;

export interface FileScanner {
  push(chunk: Uint8Array): void;
  end(): Promise<FileScanResult>;
}

/**
 * A streaming scanner for one file of a version, or null when its name says it cannot hold a pickle. Push
 * every chunk in order (the push pipeline's onChunk), then await end(); memory stays bounded.
 */
export function createFileScanner(filePath: string): FileScanner | null {
  const base = path.posix.basename(filePath);
  if (nonPickleNames.test(base)) return null;
  const mode: PickleMode = pickleNames.test(base) ? 'strong' : 'weak';
  const content = createContentScanner(mode);
  return {
    push: (chunk) => content.push(chunk),
    async end() {
      const { format, findings } = await content.end();
      return { path: filePath, format, severity: maxSeverity(findings.map((f) => f.severity)), findings };
    },
  };
}

/** The attestation recorded on a version, from the results of the files that had a scanner. */
export function buildScanAttestation(files: FileScanResult[], scannedAt: Date): ScanAttestation {
  return {
    scanner: 'warden-pickle-scan',
    version: 1,
    scannedAt: scannedAt.toISOString(),
    files,
    severity: maxSeverity(files.map((f) => f.severity)),
  };
}

/** True when `severity` reaches `threshold`; a threshold of `none` is never reached (report only). */
export function reachesThreshold(severity: Severity, threshold: Severity): boolean {
  if (threshold === 'none') return false;
  return severityRank(severity) >= severityRank(threshold);
}

export interface ScanModelOptions
  extends Pick<CollectModelFilesOptions, 'ignorePaths' | 'ignoreGitPaths' | 'cwd'> {
  now?: Date;
  /** Called with the bytes read so far and the total, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

const CHUNK_BYTES = 1024 * 1024;

/** Scans a local model file or folder offline, reading each candidate file once in 1 MiB chunks. */
export async function scanModelPath(root: string, options: ScanModelOptions = {}): Promise<ScanAttestation> {
  const model = await collectModelFiles(root, options);
  const total = model.files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  const results: FileScanResult[] = [];
  for (const file of model.files) {
    const name = file.path === '.' ? path.basename(file.absPath) : file.path;
    const scanner = createFileScanner(name);
    if (scanner) {
      for await (const chunk of createReadStream(file.absPath, { highWaterMark: CHUNK_BYTES })) {
        scanner.push(chunk as Buffer);
        options.onProgress?.(done + (chunk as Buffer).length, total);
        done += (chunk as Buffer).length;
      }
      results.push(await scanner.end());
    } else {
      done += file.size;
      options.onProgress?.(done, total);
    }
  }
  return buildScanAttestation(results, options.now ?? new Date());
}
