// `warden digest` of one file and of a folder of several files (the same bytes split in four), against
// `openssl dgst -sha256` over the same bytes (the baseline) and `sha256sum` beside it, in the same run.
// Goals: one file at >= 0.9x openssl's speed (one SHA-256 cannot be split); several files at >= 1.7x
// with two cores (files hash on worker threads, one per core).
// BENCH_BASE_BIN=/tmp/before/bin/warden.js adds another build's rows to the same interleaved rounds.
// Usage: npm run build && npm run bench:digest [-- SIZE_MIB RUNS]
import {
  baseBins,
  compare,
  ensureFile,
  ensureFolder,
  hashBaselines,
  loadAverage as load,
  nodeHashLoop,
  OPENSSL,
  report,
  requireBuild,
  timed,
  wardenBin,
  warm,
} from './bench-utils.js';

requireBuild();
const mib = Number(process.argv[2] ?? 512) || 512;
const bytes = mib * 1024 * 1024;
const runs = Number(process.argv[3] ?? 5) || 5;
const file = ensureFile(`digest-${bytes}.bin`, bytes);
const folder = ensureFolder(`digest-${bytes}-x4`, bytes, 4);
const warden =
  (target: string, bin = wardenBin) =>
  () =>
    timed(process.execPath, [bin, 'digest', target]);
/** This build's row and each BENCH_BASE_BIN build's, for one target. */
const wardens = (what: string, target: string) => ({
  ...Object.fromEntries(baseBins.map((b) => [`${b.label}: warden digest ${what}`, warden(target, b.bin)])),
  [`warden digest ${what}`]: warden(target),
});

warm([file, ...folder.files]);
console.log(`digest of ${mib} MiB, ${runs} interleaved runs each, medians (page cache warm); ${load()}`);
console.log('\none file');
const loop = (files: string[]) => ({ 'node readSync loop (reference)': () => nodeHashLoop(files) });
report(
  bytes,
  compare(runs, { ...hashBaselines([file]), ...loop([file]), ...wardens('FILE', file) }),
  OPENSSL,
);
console.log(`\nfour files of a quarter each (the others hash them one after another); ${load()}`);
report(
  bytes,
  compare(runs, { ...hashBaselines(folder.files), ...loop(folder.files), ...wardens('FOLDER', folder.dir) }),
  OPENSSL,
);
console.log(`\n${load()}`);
