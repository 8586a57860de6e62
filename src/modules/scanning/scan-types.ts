import type { Severity } from './severity.js';

/** What a scanned file turned out to be; `not-pickle` files were looked at and hold nothing to scan. */
export type ScanFormat = 'pickle' | 'torch-zip' | 'zip' | 'numpy' | 'compressed-pickle' | 'not-pickle';

export type FindingKind =
  | 'global'
  | 'unresolved-global'
  | 'extension-code'
  | 'unparseable'
  | 'limit'
  | 'not-scanned';

export interface ScanFinding {
  kind: FindingKind;
  /** `module.name` for a `global` finding; null for the others. */
  global: string | null;
  opcode: string | null;
  /** Byte offset in the file, or in the archive member's uncompressed bytes when `member` is set. */
  offset: number;
  member?: string;
  severity: Severity;
  reason: string;
}

export interface FileScanResult {
  path: string;
  format: ScanFormat;
  severity: Severity;
  findings: ScanFinding[];
}

/** Recorded on a version: what the pickle scanner saw in each of its files that could hold a pickle. */
export interface ScanAttestation {
  scanner: 'warden-pickle-scan';
  version: 1;
  scannedAt: string;
  files: FileScanResult[];
  severity: Severity;
}

export interface ContentScan {
  format: ScanFormat;
  findings: ScanFinding[];
}

/** A push-based scanner of one file's (or archive member's) bytes. */
export interface ContentScanner {
  push(chunk: Uint8Array): void;
  end(): Promise<ContentScan>;
}
