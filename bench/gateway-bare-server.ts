// The gateway bench's floor: a bare Fastify route over the same ONNX session as Warden's (same file, same
// session options, same intra-op threads), in its own process, with no authentication, no authorization,
// no validation beyond what the code needs to build a tensor, and no guards. It answers the V2 shape, so
// the two servers write comparable bodies.
// Usage (bench/gateway.bench.ts starts it): node --import tsx bench/gateway-bare-server.ts MODEL.onnx THREADS
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import * as ort from 'onnxruntime-node';

const [modelPath, threadsArg] = process.argv.slice(2);
if (!modelPath) throw new Error('usage: gateway-bare-server.ts MODEL.onnx [INTRA_OP_THREADS]');
const intraOpThreads = Number(threadsArg ?? 1);

// The options of src/adapters/onnx/onnx-runtime.ts, so both servers run the same kernel the same way.
const session = await ort.InferenceSession.create(readFileSync(modelPath), {
  executionProviders: ['cpu'],
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  ...(intraOpThreads > 0 ? { intraOpNumThreads: intraOpThreads } : {}),
});

interface Body {
  inputs: { name: string; shape: number[]; data: number[] }[];
}

const app = Fastify({ logger: false });
app.post<{ Body: Body }>('/v2/models/iris/infer', async (request) => {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of request.body.inputs)
    feeds[input.name] = new ort.Tensor('float32', Float32Array.from(input.data.flat()), input.shape);
  const results = await session.run(feeds);
  return {
    model_name: 'iris',
    model_version: '1',
    outputs: Object.entries(results).map(([name, t]) => ({
      name,
      datatype: t.type === 'int64' ? 'INT64' : 'FP32',
      shape: t.dims,
      data: Array.from(t.data as ArrayLike<number | bigint>, Number),
    })),
  };
});

const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`bare server listening on ${address}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
