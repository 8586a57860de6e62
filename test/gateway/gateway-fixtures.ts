import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { api, auth, goodMetadata, iris, keyPair, signBytes } from '../deploy/deploy-fixtures.js';
import { createModel, push } from '../fixtures/http-helpers.js';
import type { TestApp } from '../fixtures/test-app.js';

export { api, auth, iris };

/** Production as the gateway tests want it: gates on, but no approvals and no report to wait for. */
export const gatewayEnvironments = {
  production: { approvals: 0, autoApply: true, requireVulnReport: false },
};

/**
 * The iris model with an unknown protobuf field appended (field 1000, varint): ONNX Runtime and the
 * registry's reader skip it, so the model answers the same, but the bytes (and the digest) differ.
 */
export function irisVariant(n: number): Buffer {
  // Key: (1000 << 3) | 0 = 8000 = varint 0xc0 0x3e; value n (< 128).
  return Buffer.concat([iris, Buffer.from([0xc0, 0x3e, n & 0x7f])]);
}

/** The held-out rows of the demo model and their species (0 setosa, 1 versicolor, 2 virginica). */
export function testRows(): { features: number[][]; labels: number[] } {
  const text = readFileSync(new URL('../../examples/iris/data/test.csv', import.meta.url), 'utf8');
  const species = ['setosa', 'versicolor', 'virginica'];
  const [, ...lines] = text.trimEnd().split('\n');
  const cells = lines.map((l) => l.split(','));
  return {
    features: cells.map((c) => c.slice(0, 4).map(Number)),
    labels: cells.map((c) => species.indexOf(c[4] as string)),
  };
}

/**
 * A served world: a trusted signer for production, model `model` (owned by `owner`) with `count` signed
 * ONNX versions (iris, then variants), and tokens: a deployer and a viewer of that team.
 */
export async function gatewayWorld(
  t: TestApp,
  options: { model?: string; owner?: string; count?: number } = {},
) {
  const model = options.model ?? 'iris';
  const owner = options.owner ?? 'ml';
  const signer = keyPair();
  const res = await t.app.inject({
    method: 'POST',
    url: `${api}/signers`,
    payload: { name: `release-${model}`, publicKey: signer.publicPem, environments: ['production'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  await createModel(t, model, { owner });
  const versions: { number: number; digest: string; content: Buffer }[] = [];
  for (let i = 0; i < (options.count ?? 2); i++) {
    const content = i === 0 ? iris : irisVariant(i);
    const bundle = await signBytes(signer.privatePem, 'iris.onnx', content);
    const v = await push(t, model, { kind: 'file', signature: bundle, ...goodMetadata }, [
      { path: 'iris.onnx', content },
    ]);
    versions.push({ number: v.number, digest: v.digest, content });
  }
  return {
    model,
    signer,
    versions,
    deployer: await t.tokenFor({ name: `deployer-${model}`, roles: ['deployer'], teams: [owner] }),
    viewer: await t.tokenFor({ name: `viewer-${model}`, roles: ['viewer'], teams: [owner] }),
  };
}

/** Requests (and, production applying itself, applies) a deployment as `token`. */
export async function deploy(
  t: TestApp,
  token: string,
  body: { model: string; version: number; slot?: string; percent?: number },
) {
  const res = await t.app.inject({
    method: 'POST',
    url: `${api}/environments/production/requests`,
    payload: body,
    headers: auth(token),
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().request.state, res.body).toBe('applied');
  return res.json();
}

/** Waits until `check` holds (polling every 20 ms), failing after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  ms = 3000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
