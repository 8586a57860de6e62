// Sharded, parallel model-signing digest (worker threads) of one large file against `sha256sum` on the
// same file, in the same run; also the files method (one file = one worker) for the single-core baseline.
// Usage: npm run build && npm run bench:shard-digest [-- SIZE_MIB RUNS SHARD_BYTES]
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ensureFile, GiB, measure, repoRoot, report, requireBuild, timed } from './bench-utils.js';

requireBuild();
const bytes = Number(process.argv[2] ?? 2048) * 1024 * 1024 || 2 * GiB;
const runs = Number(process.argv[3] ?? 3);
const shardSize = Number(process.argv[4] ?? 100_000_000);
const file = ensureFile(`shard-digest-${bytes}.bin`, bytes);
const signing = path.join(repoRoot, 'dist', 'modules', 'signing', 'index.js');

/** `node -e` on the built module, so the timing includes Node's start but no TypeScript loader. */
const digestArgs = (method: 'files' | 'shards') => [
  '--input-type=module',
  '-e',
  `const { hashModel } = await import(${JSON.stringify(signing)});
   const m = await hashModel(${JSON.stringify(file)}, { method: '${method}', shardSize: ${shardSize} });
   console.log(m.rootDigest);`,
];

// One untimed pass each so all read from the page cache: this compares hashing, not the disk.
timed('sha256sum', [file]);
timed(process.execPath, digestArgs('shards'));

const rows = [
  measure('sha256sum FILE', runs, () => timed('sha256sum', [file])),
  measure(`warden shards (${availableParallelism()} workers)`, runs, () =>
    timed(process.execPath, digestArgs('shards')),
  ),
  measure('warden files (1 worker)', runs, () => timed(process.execPath, digestArgs('files'))),
];
console.log(
  `model-signing digest of ${(bytes / 1024 ** 2).toFixed(0)} MiB, shard ${shardSize} B, ${runs} runs each, medians (page cache warm)`,
);
report(bytes, rows, 'sha256sum FILE');
