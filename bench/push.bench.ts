// Push (upload, hash on both sides, encrypt, stage, fsync, publish) and pull (download, decrypt, verify,
// write) of one file through a real local server, against `openssl dgst -sha256` of the same bytes (the
// baseline) and `sha256sum` beside it, in the same run. Goal: push and pull each within 2x openssl's time,
// CLI and server each under 200 MiB resident at any size.
// Usage: npm run build && npm run bench:push [-- SIZE_MIB RUNS]
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
const dataDir = mkdtempSync(path.join(benchDir, 'data-'));
const server = await startWarden(dataDir);
const env = { ...process.env, WARDEN_URL: server.url, WARDEN_TOKEN: server.token };
const cli = (...args: string[]) => timed(process.execPath, [wardenBin, ...args], env);
/** A CLI call, its CPU time counting the server's work for it too. */
const withServer = (run: () => Run): Run => {
  const before = server.cpuSeconds();
  const r = run();
  return { ...r, cpuSeconds: r.cpuSeconds + server.cpuSeconds() - before };
};

try {
  cli('model', 'create', 'bench');
  warm([file]);
  let round = 0;
  // Each push changes the file's first bytes so every version is new content (no dedup shortcut).
  const touch = () => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(`round-${++round}-${Date.now()}`.padEnd(32)), 0, 32, 0);
    closeSync(fd);
  };
  const rows = compare(runs, {
    ...hashBaselines([file]),
    'warden model push FILE': () => {
      touch();
      return withServer(() => cli('model', 'push', file, '--model', 'bench'));
    },
    'warden model pull (download+verify)': () => {
      const out = path.join(dataDir, `pull-${round}-${Math.random()}`);
      const r = withServer(() => cli('model', 'pull', 'bench', '--out', out));
      rmSync(out, { recursive: true, force: true });
      return r;
    },
  });
  console.log(`push/pull of ${mib} MiB through a local server, ${runs} interleaved runs each, medians`);
  console.log(
    `(cpu s counts the CLI and the server; peak RSS is the CLI's; the server's peak was ${server.peakRssMiB().toFixed(0)} MiB)`,
  );
  report(bytes, rows, OPENSSL);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
