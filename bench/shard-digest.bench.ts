// Sharded, parallel model-signing digest (worker threads) of one large file against `openssl dgst -sha256`
// on the same file (the baseline) and `sha256sum` beside it, in the same run; also the files method (one
// file = one worker) for the single-core case. Goal: shards at >= 1.7x openssl's speed with two cores.
// BENCH_BASE_BIN=/tmp/before/bin/warden.js adds another build's rows to the same interleaved rounds.
// Usage: npm run build && npm run bench:shard-digest [-- SIZE_MIB RUNS SHARD_BYTES]
import { availableParallelism } from 'node:os';
import path from 'node:path';
import {
  baseBins,
  compare,
  ensureFile,
  hashBaselines,
  loadAverage,
  nodeHashLoop,
  OPENSSL,
  repoRoot,
  report,
  requireBuild,
  timed,
  warm,
} from './bench-utils.js';

requireBuild();
const mib = Number(process.argv[2] ?? 512) || 512;
const bytes = mib * 1024 * 1024;
const runs = Number(process.argv[3] ?? 5) || 5;
const shardSize = Number(process.argv[4] ?? 64 * 1024 * 1024);
const file = ensureFile(`digest-${bytes}.bin`, bytes);
const signingOf = (root: string) => path.join(root, 'dist', 'modules', 'signing', 'index.js');

/** `node -e` on the built module, so the timing includes Node's start but no TypeScript loader. */
const digestArgs = (method: 'files' | 'shards', signing = signingOf(repoRoot)) => [
  '--input-type=module',
  '-e',
  `const { hashModel } = await import(${JSON.stringify(signing)});
   const m = await hashModel(${JSON.stringify(file)}, { method: '${method}', shardSize: ${shardSize} });
   console.log(m.rootDigest);`,
];

warm([file]);
const cases = (label: string, root: string) => ({
  [`${label}shards (${availableParallelism()} threads)`]: () =>
    timed(process.execPath, digestArgs('shards', signingOf(root))),
  [`${label}files (1 thread)`]: () => timed(process.execPath, digestArgs('files', signingOf(root))),
});
console.log(
  `model-signing digest of ${mib} MiB, shard ${shardSize} B, ${runs} interleaved runs each, medians (page cache warm); ${loadAverage()}`,
);
const rows = compare(runs, {
  ...hashBaselines([file]),
  'node readSync loop (reference)': () => nodeHashLoop([file]),
  ...Object.assign(
    {},
    ...baseBins.map((b) => cases(`${b.label}: warden `, path.dirname(path.dirname(b.bin)))),
  ),
  ...cases('warden ', repoRoot),
});
report(bytes, rows, OPENSSL);
console.log(`\n${loadAverage()}`);
