// `warden digest` on a 1 GiB file against `sha256sum` on the same file, in the same run.
// Usage: npm run build && npm run bench:digest [-- SIZE_MIB RUNS]
import { ensureFile, GiB, measure, report, requireBuild, timed, wardenBin } from './bench-utils.js';

requireBuild();
const bytes = Number(process.argv[2] ?? 1024) * 1024 * 1024 || GiB;
const runs = Number(process.argv[3] ?? 5);
const file = ensureFile(`digest-${bytes}.bin`, bytes);

// One untimed pass each so both read from the page cache: this compares hashing, not the disk.
timed('sha256sum', [file]);
timed(process.execPath, [wardenBin, 'digest', file]);

const rows = [
  measure('sha256sum FILE', runs, () => timed('sha256sum', [file])),
  measure('warden digest FILE', runs, () => timed(process.execPath, [wardenBin, 'digest', file])),
];
console.log(`digest of ${(bytes / 1024 ** 2).toFixed(0)} MiB, ${runs} runs each, medians (page cache warm)`);
report(bytes, rows, 'sha256sum FILE');
