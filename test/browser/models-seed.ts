import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../e2e/helpers.js';
import { multipartBody } from '../fixtures/test-app.js';

/** Text that would run script if any page rendered it as HTML rather than as text. */
export const hostile = '<img src=x onerror=alert(1)>';

const iris = readFileSync(path.join(repoRoot, 'examples', 'iris', 'model', 'iris.onnx'));
const npmAudit = JSON.parse(
  readFileSync(path.join(repoRoot, 'test', 'fixtures', 'vuln-reports', 'npm-audit.json'), 'utf8'),
);
/** iris.onnx with a doc_string (ModelProto field 6) appended: a valid ONNX model with its own digest. */
const irisNamed = (doc: string) => Buffer.concat([iris, Buffer.from([0x32, doc.length]), Buffer.from(doc)]);
const dataset = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

/** A small registry through the real HTTP API, as the admin: what the models pages are checked against. */
export async function seedModels(url: string, token: string): Promise<void> {
  const call = async (method: string, route: string, body?: unknown, expected = [200, 201, 204]) => {
    const res = await fetch(`${url}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!expected.includes(res.status))
      throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res;
  };
  const push = async (
    model: string,
    metadata: Record<string, unknown>,
    content: Buffer | string,
    file = 'model.onnx',
  ) => {
    const { body, contentType } = multipartBody({ kind: 'file', ...metadata }, [{ path: file, content }]);
    const res = await fetch(`${url}/api/v1/models/${model}/versions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body,
    });
    if (res.status !== 201) throw new Error(`push ${model}: ${res.status} ${await res.text()}`);
  };

  await call('POST', '/models', {
    name: 'fraud-detector',
    description: `Scores payments. ${hostile}`,
    tags: ['prod', 'payments'],
  });
  // A tag is a slug: the server refuses markup there before any page could show it.
  await call('POST', '/models', { name: 'hostile-tags', tags: [hostile] }, [400]);
  await call('POST', '/models', { name: 'churn-model', tags: ['crm'] });
  await push(
    'fraud-detector',
    {
      format: 'onnx',
      metrics: { accuracy: 0.91, f1: 0.87 },
      metadata: { notes: hostile, framework: 'sklearn' },
      lineage: {
        datasetDigests: [dataset(1), dataset(2)],
        trainingRun: 'run-41',
        sourceCommit: 'abcdef1234567',
      },
    },
    iris,
  );
  await push(
    'fraud-detector',
    {
      format: 'onnx',
      metrics: { accuracy: 0.93, f1: 0.9 },
      lineage: { parent: '1', trainingRun: 'run-42', datasetDigests: [dataset(3)] },
    },
    irisNamed('v2'),
  );
  await push(
    'fraud-detector',
    {
      format: 'onnx',
      metrics: { accuracy: 0.95, f1: 0.92, latency_ms: 3.5 },
      params: { depth: 6 },
      lineage: { parent: '2', trainingRun: 'run-43', datasetDigests: [dataset(3), dataset(4)] },
    },
    irisNamed('v3'),
  );
  await push('fraud-detector', { metrics: { accuracy: 0.5 } }, 'a bad experiment', 'weights.bin');
  await call(
    'DELETE',
    `/models/fraud-detector/versions/4?reason=${encodeURIComponent(`wrong data ${hostile}`)}`,
  );
  await call('PUT', '/models/fraud-detector/aliases/prod', {
    version: 2,
    reason: `first release ${hostile}`,
  });
  await call('PUT', '/models/fraud-detector/aliases/prod', { version: 3, reason: 'better recall' });
  await call('PUT', '/models/fraud-detector/aliases/canary', { version: 3 });
  await call('POST', '/models/fraud-detector/versions/3/attestations', {
    type: 'vuln-report',
    report: npmAudit,
  });
}

/** A read-only token (role viewer, every team) issued by the admin: it may see the pages, change nothing. */
export async function viewerToken(url: string, adminToken: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'console-viewer', roles: ['viewer'] }),
  });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
