/**
 * The runtime port: what the gateway needs of an inference engine. The ONNX adapter (adapters/onnx) and
 * the upstream proxies (adapters/upstream: V2 servers, OpenAI-style chat) implement it; the gateway never
 * imports a runtime package or an HTTP client.
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
  /** The V2 `platform` this session reports when it differs from its runtime's (an upstream's own). */
  readonly platform?: string;
  /**
   * Makes `inputs` and `outputs` current before a request is validated against them (an upstream whose
   * metadata could not be read at load reads it now). Throws an UpstreamFailure when it cannot.
   */
  prepare?(): Promise<void>;
  /** Runs the model; `outputs` names the outputs wanted (all when omitted). */
  run(inputs: Record<string, Tensor>, outputs?: readonly string[]): Promise<Record<string, Tensor>>;
  /** Present on a chat model (an OpenAI-style upstream): one chat completion, non-streaming. */
  chat?(request: ChatRequest): Promise<ChatAnswer>;
  /** Frees the session; called once, after its last run finished. */
  release(): Promise<void>;
}

/** A validated chat-completions request, as the gateway forwards it (the upstream's model name is the adapter's). */
export interface ChatRequest {
  messages: { role: string; content: string }[];
  /** Sampling options the gateway lets through, already checked (temperature, max_tokens, …). */
  options: Record<string, unknown>;
}

/** The first choice of a chat completion, read strictly from the upstream's answer. */
export interface ChatAnswer {
  id: string | null;
  created: number | null;
  content: string;
  finishReason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** What a remote runtime says of its upstream (never its address or credentials): for the status route. */
export interface UpstreamStatus {
  protocol: string;
  /** `closed` passes requests; `open` refuses them until `retryAfterMs`; `half_open` lets one test through. */
  breaker: 'closed' | 'open' | 'half_open' | 'isolated';
  /** Requests forwarded and not yet answered. */
  inFlight: number;
  maxConcurrent: number | null;
  timeoutMs: number;
}

export interface ModelRuntime {
  /** The V2 `platform` of the models it serves, e.g. `onnx_onnxv1`. */
  readonly platform: string;
  /** Whether it can load a version of this format (the registry's detected format). */
  accepts(format: string): boolean;
  /** Creates a session from a version's files. Throws when the bytes are not a model it can run. */
  load(files: readonly ModelFileBytes[]): Promise<Session>;
  /** A remote runtime's state (breaker, requests in flight); absent on a local one. */
  status?(): UpstreamStatus;
}

/** The runtime configured for a model by name, when it is not the default (an upstream proxy). */
export type RuntimeFor = (model: string) => ModelRuntime | undefined;

/** Why a call to an upstream model server failed, in terms the gateway answers with (502, 503, 504, 400). */
export type UpstreamFailureReason =
  | 'timeout'
  | 'unreachable'
  | 'bad_response'
  | 'error_status'
  | 'refused'
  | 'circuit_open'
  | 'busy';

/**
 * Thrown by a remote runtime. `detail` is safe to show the caller (no address, no credential);
 * `retryAfterMs` says when a refused call (circuit open, busy) is worth trying again.
 */
export class UpstreamFailure extends Error {
  constructor(
    readonly reason: UpstreamFailureReason,
    readonly detail: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(detail);
    this.name = 'UpstreamFailure';
  }
}
