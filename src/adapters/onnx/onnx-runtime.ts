import * as ort from 'onnxruntime-node';
import type {
  ElementType,
  ModelFileBytes,
  ModelRuntime,
  Session,
  Tensor,
  TensorData,
  TensorMeta,
} from '../../modules/gateway/index.js';
import { elementTypes } from '../../modules/gateway/index.js';

export interface OnnxRuntimeOptions {
  /** Threads inside one operator, per session (0: ONNX Runtime's default, one per core). */
  intraOpThreads: number;
}

const known = new Set<string>(elementTypes);

/** The session's own description of an input or output; a symbolic dimension varies (null). */
function metaOf(m: ort.InferenceSession.ValueMetadata): TensorMeta {
  if (!m.isTensor) return { name: m.name, type: 'non-tensor', shape: null };
  return {
    name: m.name,
    type: m.type,
    shape: m.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : null)),
  };
}

function toOrt(tensor: Tensor): ort.Tensor {
  const dims = tensor.dims;
  switch (tensor.type) {
    case 'string':
      return new ort.Tensor('string', tensor.data as string[], dims);
    case 'bool':
      return new ort.Tensor('bool', tensor.data as Uint8Array, dims);
    case 'float16':
      return new ort.Tensor('float16', tensor.data as Uint16Array, dims);
    default:
      return new ort.Tensor(tensor.type, tensor.data as Exclude<TensorData, string[]>, dims);
  }
}

function fromOrt(value: ort.OnnxValue): Tensor {
  const type = value.type as string;
  if (!known.has(type))
    throw new Error(`the model returned a ${type} tensor, which the gateway cannot encode`);
  let data = value.data as TensorData | Uint8Array;
  // A float16 tensor may arrive as the platform's Float16Array: the gateway carries its bits.
  if (type === 'float16' && !(data instanceof Uint16Array))
    data = new Uint16Array((data as unknown as { buffer: ArrayBuffer }).buffer);
  return { type: type as ElementType, dims: [...value.dims], data: data as TensorData };
}

/**
 * ONNX models on ONNX Runtime's CPU execution provider. A version is one `.onnx` file (weights in
 * external data files are not supported yet); the session is created from the verified bytes in memory,
 * never from a path another process could change.
 */
export function createOnnxRuntime(options: OnnxRuntimeOptions): ModelRuntime {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    ...(options.intraOpThreads > 0 ? { intraOpNumThreads: options.intraOpThreads } : {}),
  };
  return {
    platform: 'onnx_onnxv1',
    accepts: (format) => format === 'onnx',
    async load(files: readonly ModelFileBytes[]): Promise<Session> {
      const models = files.filter((f) => f.path.toLowerCase().endsWith('.onnx'));
      if (models.length !== 1)
        throw new Error(`a version must hold exactly one .onnx file (it holds ${models.length})`);
      const session = await ort.InferenceSession.create((models[0] as ModelFileBytes).bytes, sessionOptions);
      const inputs = session.inputMetadata.map(metaOf);
      const outputs = session.outputMetadata.map(metaOf);
      return {
        inputs,
        outputs,
        async run(feeds, wanted) {
          const ortFeeds: Record<string, ort.Tensor> = {};
          for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = toOrt(tensor);
          const results = wanted ? await session.run(ortFeeds, [...wanted]) : await session.run(ortFeeds);
          const out: Record<string, Tensor> = {};
          for (const [name, value] of Object.entries(results)) out[name] = fromOrt(value);
          return out;
        },
        release: () => session.release(),
      };
    },
  };
}
