import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { goodMetadata, signBytes } from '../deploy/deploy-fixtures.js';
import { push } from '../fixtures/http-helpers.js';
import type { TestApp } from '../fixtures/test-app.js';

const { onnx } = onnxProto;
const STRING = 8;

/**
 * A text model in one Identity node: `text` (string, [-1]) in, `reply` (string, [-1]) out, so what a test
 * sends is what the model "answers" (opset 17, built with onnx-proto, run by the real ONNX Runtime).
 */
export function echoModel(): Buffer {
  const tensor = (name: string) => ({
    name,
    type: { tensorType: { elemType: STRING, shape: { dim: [{ dimParam: 'n' }] } } },
  });
  const bytes = onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'warden-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'echo',
      node: [{ opType: 'Identity', input: ['text'], output: ['reply'], name: 'echo' }],
      input: [tensor('text')],
      output: [tensor('reply')],
    },
  }).finish();
  return Buffer.from(bytes);
}

/** Pushes the echo model (signed by `privatePem`) as a version of `model`. */
export async function pushEchoModel(t: TestApp, model: string, privatePem: string) {
  const content = echoModel();
  const bundle = await signBytes(privatePem, 'echo.onnx', content);
  return push(t, model, { kind: 'file', signature: bundle, ...goodMetadata }, [
    { path: 'echo.onnx', content },
  ]);
}

/** The iris demo model's 120 training rows (its benign input profile is learned from them). */
export function referenceRows(): number[][] {
  const text = readFileSync(new URL('../../examples/iris/data/reference.csv', import.meta.url), 'utf8');
  const [, ...lines] = text.trimEnd().split('\n');
  return lines.map((l) => l.split(',').slice(0, 4).map(Number));
}

/** A seeded uniform generator (mulberry32): the same attack every run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
