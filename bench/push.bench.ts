// Push (upload, hash on both sides, encrypt, stage, fsync, publish) and pull (download, decrypt, verify,
// write) of one file through a real local server, against `openssl dgst -sha256` of the same bytes (the
// baseline) and `sha256sum` beside it, in the same run. Goal: push and pull each within 2x openssl's time,
// CLI and server each under 200 MiB resident at any size.
// Usage: npm run build && npm run bench:push [-- SIZE_MIB RUNS]
// BENCH_COMPARE_BIN=/elsewhere/bin/warden.js adds that build's push and pull (its own server) to the same
// interleaved run, for a before/after on one machine at one moment.
// `dd … conv=fsync` (writing the same bytes to a new file and flushing them) is printed for reference: a
// push stores the bytes and a pull writes them, so neither can be faster than this on the machine.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  benchDir,
  compare,
  ensureFile,
  hashBaselines,
  OPENSSL,
  type Run,
  report,
  requireBuild,
  startWarden,
  timed,
  wardenBin,
  warm,
} from './bench-utils.js';

requireBuild();
const mib = Number(process.argv[2] ?? 512) || 512;
const bytes = mib * 1024 * 1024;
const runs = Number(process.argv[3] ?? 3) || 3;
const file = ensureFile(`push-${bytes}.bin`, bytes);
const builds = [
  { label: '', bin: wardenBin },
  ...(process.env.BENCH_COMPARE_BIN ? [{ label: ' [compare]', bin: process.env.BENCH_COMPARE_BIN }] : []),
];
const dataDirs: string[] = [];
const servers = [];
for (const build of builds) {
  const dataDir = mkdtempSync(path.join(benchDir, 'data-'));
  dataDirs.push(dataDir);
  servers.push({ ...build, dataDir, server: await startWarden(dataDir, build.bin) });
}

try {
  let round = 0;
  // Each push changes the file's first bytes so every version is new content (no dedup shortcut).
  const touch = () => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(`round-${++round}-${Date.now()}`.padEnd(32)), 0, 32, 0);
    closeSync(fd);
  };
  const cases: Record<string, () => Run> = { ...hashBaselines([file]) };
  const out = path.join(benchDir, 'written.bin');
  cases['dd write + fsync (reference)'] = () => {
    const r = timed('dd', [`if=${file}`, `of=${out}`, 'bs=1M', 'conv=fsync', 'status=none']);
    rmSync(out, { force: true });
    return r;
  };
  for (const { label, bin, dataDir, server } of servers) {
    const env = { ...process.env, WARDEN_URL: server.url, WARDEN_TOKEN: server.token };
    const cli = (...args: string[]) => timed(process.execPath, [bin, ...args], env);
    /** A CLI call, its CPU time counting the server's work for it too. */
    const withServer = (run: () => Run): Run => {
      const before = server.cpuSeconds();
      const r = run();
      return { ...r, cpuSeconds: r.cpuSeconds + server.cpuSeconds() - before };
    };
    cli('model', 'create', 'bench');
    cases[`warden model push FILE${label}`] = () => {
      touch();
      return withServer(() => cli('model', 'push', file, '--model', 'bench'));
    };
    cases[`warden model pull${label}`] = () => {
      const target = path.join(dataDir, `pull-${round}-${Math.random()}`);
      const r = withServer(() => cli('model', 'pull', 'bench', '--out', target));
      rmSync(target, { recursive: true, force: true });
      return r;
    };
  }
  warm([file]);
  const rows = compare(runs, cases);
  console.log(`push/pull of ${mib} MiB through a local server, ${runs} interleaved runs each, medians`);
  for (const { label, bin, server } of servers)
    console.log(
      `server${label || ''} (${bin}): peak RSS ${server.peakRssMiB().toFixed(0)} MiB (cpu s counts the CLI and the server; peak RSS column is the CLI's)`,
    );
  report(bytes, rows, OPENSSL);
} finally {
  for (const { server } of servers) await server.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
}
