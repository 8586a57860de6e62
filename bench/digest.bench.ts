// `warden digest` of one file and of a folder of several files (the same bytes split in four), against
// `openssl dgst -sha256` over the same bytes (the baseline) and `sha256sum` beside it, in the same run.
// Goals: one file at >= 0.9x openssl's speed (one SHA-256 cannot be split); several files at >= 1.7x
// with two cores (files hash on worker threads, one per core).
// Usage: npm run build && npm run bench:digest [-- SIZE_MIB RUNS]
import {
  compare,
  ensureFile,
  ensureFolder,
  hashBaselines,
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
const warden = (target: string) => () => timed(process.execPath, [wardenBin, 'digest', target]);

warm([file, ...folder.files]);
console.log(`digest of ${mib} MiB, ${runs} interleaved runs each, medians (page cache warm)`);
console.log('\none file');
report(bytes, compare(runs, { ...hashBaselines([file]), 'warden digest FILE': warden(file) }), OPENSSL);
console.log('\nfour files of a quarter each (openssl and sha256sum hash them one after another)');
report(
  bytes,
  compare(runs, { ...hashBaselines(folder.files), 'warden digest FOLDER': warden(folder.dir) }),
  OPENSSL,
);
