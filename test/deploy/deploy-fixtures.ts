import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { signModel } from '../../src/modules/signing/index.js';
import { createModel, push } from '../fixtures/http-helpers.js';
import type { TestApp } from '../fixtures/test-app.js';

export const api = '/api/v1';
export const iris = readFileSync(new URL('../../examples/iris/model/iris.onnx', import.meta.url));

export function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A model-signing bundle for one file's bytes, made with the real signer. */
export async function signBytes(privatePem: string, file: string, content: Buffer): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-deploy-sig-'));
  try {
    const modelPath = path.join(dir, file);
    writeFileSync(modelPath, content);
    const signed = await signModel({
      modelPath,
      privateKeyPem: privatePem,
      signaturePath: `${modelPath}.sig`,
    });
    return JSON.stringify(signed.bundle);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Provenance and metrics every production gate wants. */
export const goodMetadata = {
  metrics: { accuracy: 0.95 },
  lineage: { datasetDigests: [`sha256:${'d'.repeat(64)}`], trainingRun: 'run-42', sourceCommit: 'abc1234' },
};

/**
 * A deployable world: a trusted signer for every default environment, model `iris` with `count` signed
 * versions (each a different byte string), and tokens for a deployer, two approvers and a viewer.
 */
export async function deployWorld(
  t: TestApp,
  options: { count?: number; model?: string; owner?: string } = {},
) {
  const model = options.model ?? 'iris';
  const signer = keyPair();
  const res = await t.app.inject({
    method: 'POST',
    url: `${api}/signers`,
    payload: {
      name: `release-${model}`,
      publicKey: signer.publicPem,
      environments: ['dev', 'staging', 'production'],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await createModel(t, model, options.owner ? { owner: options.owner } : {});
  const versions: { number: number; digest: string; content: Buffer }[] = [];
  for (let i = 0; i < (options.count ?? 2); i++) {
    const content = Buffer.from(`weights of ${model}, generation ${i}\n`.repeat(64));
    const bundle = await signBytes(signer.privatePem, `${model}.bin`, content);
    const v = await push(t, model, { kind: 'file', signature: bundle, ...goodMetadata }, [
      { path: `${model}.bin`, content },
    ]);
    versions.push({ number: v.number, digest: v.digest, content });
  }
  const teams = options.owner ? [options.owner] : undefined;
  const token = (name: string, roles: string[]) => t.tokenFor({ name, roles, ...(teams ? { teams } : {}) });
  return {
    model,
    signer,
    versions,
    deployer: await token(`deployer-${model}`, ['deployer']),
    approver1: await token(`approver1-${model}`, ['approver']),
    approver2: await token(`approver2-${model}`, ['approver']),
    viewer: await token(`viewer-${model}`, ['viewer']),
  };
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** Attaches a vulnerability report as the admin. */
export async function attachReport(t: TestApp, model: string, version: number, report: unknown) {
  const res = await t.app.inject({
    method: 'POST',
    url: `${api}/models/${model}/versions/${version}/attestations`,
    payload: { type: 'vuln-report', report },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** The deploy API as each test calls it, every call made with the token given. */
export function deployCalls(t: TestApp) {
  const as = (token: string) => ({ headers: auth(token) });
  return {
    as,
    requestAs: (token: string, env: string, body: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `${api}/environments/${env}/requests`,
        payload: body,
        ...as(token),
      }),
    decide: (token: string, id: string, verb: 'approve' | 'reject', reason = 'looks right') =>
      t.app.inject({
        method: 'POST',
        url: `${api}/deploy-requests/${id}/${verb}`,
        payload: { reason },
        ...as(token),
      }),
    apply: (token: string, id: string) =>
      t.app.inject({ method: 'POST', url: `${api}/deploy-requests/${id}/apply`, ...as(token) }),
    live: async (env: string) => (await t.app.inject({ url: `${api}/environments/${env}/live` })).json(),
  };
}
