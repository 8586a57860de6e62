import { parseArgs } from 'node:util';
import { postgresFactory } from '../test/fixtures/databases.js';
import { type FuzzWorld, runHttpFuzz } from '../test/fixtures/http-fuzz.js';
import { createTestApp } from '../test/fixtures/test-app.js';

// A long fuzz run over the HTTP API (the CI test runs a few thousand cases): `npm run fuzz -- --runs 40000
// [--seed N] [--postgres postgres://…/db]` (SQLite in a temporary folder by default; PostgreSQL in a fresh
// schema). It prints the seed, so a failure can be replayed exactly; it exits 1 on the first failing case.
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    postgres: { type: 'string' },
  },
});
const numRuns = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(numRuns) || numRuns < 1 || !Number.isInteger(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed N] [--postgres URL]');
  process.exit(2);
}

const t = await createTestApp(values.postgres ? { factory: postgresFactory(values.postgres) } : {});
try {
  const auth = { authorization: `Bearer ${t.adminToken}` };
  await t.rawApp.inject({ method: 'POST', url: '/api/v1/models', payload: { name: 'iris' }, headers: auth });
  const world: FuzzWorld = {
    adminToken: t.adminToken,
    models: ['iris', 'nope'],
    refs: ['1', '2', 'prod', 'latest'],
    aliases: ['prod', 'staging'],
    files: ['m.bin', 'dir/a.bin', 'a'],
  };
  console.log(`fuzzing ${numRuns} requests, seed ${seed}`);
  const started = Date.now();
  const run = await runHttpFuzz(t.rawApp, world, { numRuns, seed });
  const seconds = (Date.now() - started) / 1000;
  console.log(`${run.runs} requests in ${seconds.toFixed(1)} s, no 5xx, every error problem+json`);
  console.log('statuses:', run.statuses);
  const verify = await t.rawApp.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: auth });
  if (verify.statusCode !== 200 || verify.json().ok !== true) throw new Error(`audit chain: ${verify.body}`);
  console.log('audit chain verifies');
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await t.close();
}
