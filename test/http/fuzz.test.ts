import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { type FuzzWorld, runHttpFuzz } from '../fixtures/http-fuzz.js';
import { createModel, push, stagingEntries } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// A few thousand fuzzed requests per CI run (`npm run fuzz -- --runs N` runs longer ones). The sentinel model
// is never named by the fuzzer: whatever the fuzzed requests did to the rest of the registry, it must read
// back exactly as it was, and the audit chain must still verify.
// PostgreSQL (when configured) gets fewer: it is slower per request, and refuses what SQLite takes (NUL).
const runsOn = { sqlite: 3000, postgres: 1500 } as const;
const api = '/api/v1';
const sentinelBytes = Buffer.from('sentinel bytes that must survive every fuzzed request');

describe.each(databaseFactories())('fuzzed requests over the OpenAPI routes ($name)', (factory) => {
  const runs = runsOn[factory.name];
  let t: TestApp;
  let world: FuzzWorld;
  let before: { version: string; file: Buffer };
  beforeAll(async () => {
    t = await createTestApp({ factory });
    await createModel(t, 'iris');
    const v1 = await push(t, 'iris', { kind: 'file' }, [{ path: 'm.bin', content: 'v1' }]);
    await t.app.inject({ method: 'PUT', url: `${api}/models/iris/aliases/prod`, payload: { version: 1 } });
    await createModel(t, 'kept-sentinel');
    await push(t, 'kept-sentinel', { kind: 'directory', params: { depth: { ok: [1, 2] } } }, [
      { path: 'w/weights.bin', content: sentinelBytes },
    ]);
    before = await readSentinel();
    world = {
      adminToken: t.adminToken,
      models: ['iris', 'nope'],
      refs: ['1', '2', 'prod', v1.digest, v1.digest.slice(0, 19)],
      aliases: ['prod', 'staging'],
      files: ['m.bin', 'dir/a.bin', 'a'],
    };
  });
  afterAll(async () => t?.close());

  async function readSentinel() {
    const version = await t.app.inject({ method: 'GET', url: `${api}/models/kept-sentinel/versions/1` });
    expect(version.statusCode).toBe(200);
    const file = await t.app.inject({
      method: 'GET',
      url: `${api}/models/kept-sentinel/versions/1/files/w/weights.bin`,
    });
    expect(file.statusCode).toBe(200);
    return { version: version.body, file: file.rawPayload };
  }

  it(`${runs} requests: no 5xx, every error problem+json with a defined code, the database intact`, async () => {
    const started = Date.now();
    const run = await runHttpFuzz(t.rawApp, world, { numRuns: runs });
    console.info(`fuzz: ${run.runs} requests in ${Date.now() - started} ms`, run.statuses);
    expect(run.runs).toBe(runs);

    const after = await readSentinel();
    expect(after.version).toBe(before.version);
    expect(after.file.equals(sentinelBytes)).toBe(true);
    const verify = await t.app.inject({ method: 'GET', url: `${api}/audit/verify` });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true });
    expect(stagingEntries(t)).toEqual([]);
    expect((await t.rawApp.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 180_000);
});
