// CLI start-up: `warden --version` and `warden digest --help` against `node -e 0` (Node's own start), in
// the same run. Goal: at most 0.15 s above Node, i.e. no command loads the server, Cedar, ONNX or the
// HTTP client before it needs them.
// Usage: npm run build && npm run bench:startup [-- RUNS]
import { compare, requireBuild, timed, wardenBin } from './bench-utils.js';

requireBuild();
const runs = Number(process.argv[2] ?? 15) || 15;
const node =
  (...args: string[]) =>
  () =>
    timed(process.execPath, args);
const rows = compare(runs, {
  'node -e 0 (baseline)': node('-e', '0'),
  'warden --version': node(wardenBin, '--version'),
  'warden digest --help': node(wardenBin, 'digest', '--help'),
  'warden model push --help': node(wardenBin, 'model', 'push', '--help'),
});
const base = rows[0]?.seconds ?? 0;
console.log(`CLI start-up, ${runs} interleaved runs each, medians`);
console.log(
  `\n${'what'.padEnd(30)} ${'median s'.padStart(9)} ${'above node'.padStart(11)} ${'peak RSS'.padStart(10)}`,
);
for (const r of rows)
  console.log(
    `${r.label.padEnd(30)} ${r.seconds.toFixed(3).padStart(9)} ${`${(r.seconds - base).toFixed(3)} s`.padStart(11)} ${`${r.maxRssMiB.toFixed(0)} MiB`.padStart(10)}`,
  );
