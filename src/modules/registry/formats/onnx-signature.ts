import { createReadStream } from 'node:fs';
import type { AppError } from '../../../platform/errors.js';
import { onnxUnreadable } from './onnx-errors.js';
import { decodeOperatorSetId, decodeValueInfo, type TensorSpec, toSafeInt } from './onnx-messages.js';
import { type FieldAction, ProtoStreamWalker, skipField } from './protobuf-stream.js';
import { decodeUtf8, WireFormatError } from './protobuf-wire.js';

export type { TensorSpec } from './onnx-messages.js';

export interface OnnxSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  irVersion: number | null;
  opsets: { domain: string; version: number }[];
  producer: string | null;
}

type Frame = 'model' | 'graph' | 'tensor';

// Generous for real models (a ValueInfoProto is a name and a shape), yet a hostile file cannot make us hold
// more than this per field.
const MAX_VALUE_INFO_BYTES = 4 * 1024 * 1024;
const MAX_STRING_BYTES = 64 * 1024;
// opset_import became mandatory in IR version 3; before it the opset was implied.
const FIRST_IR_WITH_OPSETS = 3;

/** Push-based parser: feed every chunk of the file in order, then call end(). Memory stays bounded regardless of model size. */
export class OnnxSignatureReader {
  private readonly walker = new ProtoStreamWalker<Frame>('model', (frame, field) => this.visit(frame, field));
  private irVersion: number | null = null;
  private producer: string | null = null;
  private readonly opsets: OnnxSignature['opsets'] = [];
  private readonly inputs: TensorSpec[] = [];
  private readonly outputs: TensorSpec[] = [];
  private readonly initializers = new Set<string>();
  private sawGraph = false;
  private failure: AppError | null = null;
  private ended = false;

  push(chunk: Uint8Array): void {
    this.guard(() => this.walker.push(chunk));
  }

  end(): OnnxSignature {
    this.guard(() => this.walker.end());
    this.ended = true;
    if (!this.sawGraph) throw this.fail(onnxUnreadable('it has no graph'));
    if (this.opsets.length === 0 && (this.irVersion ?? 0) >= FIRST_IR_WITH_OPSETS) {
      // Also catches a file cut off right after its graph, since opset_import is written after it.
      throw this.fail(onnxUnreadable('it has no opset_import'));
    }
    return {
      // Before IR version 4, weights had to be listed as graph inputs too; they are not inputs a caller feeds.
      inputs: this.inputs.filter((input) => !this.initializers.has(input.name)),
      outputs: this.outputs,
      irVersion: this.irVersion,
      opsets: this.opsets,
      producer: this.producer,
    };
  }

  private guard(step: () => void): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('OnnxSignatureReader used after end()');
    try {
      step();
    } catch (err) {
      if (err instanceof WireFormatError) throw this.fail(onnxUnreadable(err.message));
      throw err;
    }
  }

  private fail(err: AppError): AppError {
    this.failure = err;
    return err;
  }

  // Field numbers are those of ModelProto, GraphProto and TensorProto in onnx/onnx.proto.
  private visit(frame: Frame, field: number): FieldAction<Frame> {
    if (frame === 'model') {
      if (field === 1) {
        return { kind: 'varint', onValue: (v) => (this.irVersion = toSafeInt(v, 'ir_version')) };
      }
      if (field === 2) return this.holdString((s) => (this.producer = s));
      if (field === 7) {
        this.sawGraph = true;
        return { kind: 'descend', frame: 'graph' };
      }
      if (field === 8) return this.hold(MAX_STRING_BYTES, (b) => this.opsets.push(decodeOperatorSetId(b)));
    } else if (frame === 'graph') {
      // Initializers hold the weights; only their names are kept, to tell weights from real inputs.
      if (field === 5) return { kind: 'descend', frame: 'tensor' };
      if (field === 11) return this.hold(MAX_VALUE_INFO_BYTES, (b) => this.inputs.push(decodeValueInfo(b)));
      if (field === 12) return this.hold(MAX_VALUE_INFO_BYTES, (b) => this.outputs.push(decodeValueInfo(b)));
    } else if (field === 8) {
      return this.holdString((s) => this.initializers.add(s));
    }
    return skipField;
  }

  private hold(maxBytes: number, onBytes: (bytes: Uint8Array) => void): FieldAction<Frame> {
    return { kind: 'buffer', maxBytes, onBytes };
  }

  private holdString(onString: (value: string) => void): FieldAction<Frame> {
    return this.hold(MAX_STRING_BYTES, (bytes) => onString(decodeUtf8(bytes)));
  }
}

const CHUNK_BYTES = 1024 * 1024;

/** Convenience for a local file: reads with 1 MiB chunks through OnnxSignatureReader. */
export async function readOnnxSignature(path: string): Promise<OnnxSignature> {
  const reader = new OnnxSignatureReader();
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
    reader.push(chunk as Buffer);
  }
  return reader.end();
}
