import type { FileScanResult } from '../scanning/index.js';
import type { OnnxSignature } from './formats/onnx-signature.js';
import type { VersionFile, VersionKind } from './registry.types.js';

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

/** What a push received once every file has streamed in: files in OMS order, sizes, ONNX signatures, scans. */
export interface Received {
  files: VersionFile[];
  total: number;
  onnx: OnnxSignature[];
  scans: FileScanResult[];
}
