/**
 * The runtime port: what the gateway needs of an inference engine. The ONNX adapter (adapters/onnx)
 * implements it; the gateway never imports a runtime package.
 */

/** Element types as ONNX names them (the registry's signature reader uses the same names). */
export const elementTypes = [
  'bool',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'int8',
  'int16',
  'int32',
  'int64',
  'float16',
  'float32',
  'float64',
  'string',
] as const;
export type ElementType = (typeof elementTypes)[number];

/** A tensor's values, row-major: the typed array of its element type, or strings for `string`. */
export type TensorData =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array
  | string[];

/**
 * One tensor. `bool` is a Uint8Array of 0/1, `float16` a Uint16Array of IEEE 754 half-precision bits,
 * `int64`/`uint64` BigInt arrays.
 */
export interface Tensor {
  type: ElementType;
  dims: number[];
  data: TensorData;
}

/** An input or output as the loaded model declares it: a dimension is a size, or null when it varies. */
export interface TensorMeta {
  name: string;
  /** An element type, or the runtime's own name for one the gateway does not handle (never accepted). */
  type: ElementType | string;
  /** null when the model does not say (any rank). */
  shape: (number | null)[] | null;
}

/** A model file, whole, as the registry's verified read path returned it. */
export interface ModelFileBytes {
  path: string;
  bytes: Uint8Array;
}

export interface Session {
  readonly inputs: readonly TensorMeta[];
  readonly outputs: readonly TensorMeta[];
  /** Runs the model; `outputs` names the outputs wanted (all when omitted). */
  run(inputs: Record<string, Tensor>, outputs?: readonly string[]): Promise<Record<string, Tensor>>;
  /** Frees the session; called once, after its last run finished. */
  release(): Promise<void>;
}

export interface ModelRuntime {
  /** The V2 `platform` of the models it serves, e.g. `onnx_onnxv1`. */
  readonly platform: string;
  /** Whether it can load a version of this format (the registry's detected format). */
  accepts(format: string): boolean;
  /** Creates a session from a version's files. Throws when the bytes are not a model it can run. */
  load(files: readonly ModelFileBytes[]): Promise<Session>;
}
