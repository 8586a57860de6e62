// Push (upload, hash on both sides, encrypt, stage, fsync, publish) and pull (download, decrypt, re-verify,
// write, verify) of a 1 GiB model through a real server, against `sha256sum` of the same file, in the same run.
// Usage: npm run build && npm run bench:push [-- SIZE_MIB RUNS]
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  benchDir,
  ensureFile,
  GiB,
  measure,
  report,
  requireBuild,
  startWarden,
  timed,
  wardenBin,
} from './bench-utils.js';

requireBuild();
const bytes = Number(process.argv[2] ?? 1024) * 1024 * 1024 || GiB;
const runs = Number(process.argv[3] ?? 3);
const file = ensureFile(`push-${bytes}.bin`, bytes);
const dataDir = mkdtempSync(path.join(benchDir, 'data-'));
const server = await startWarden(dataDir);
const env = { ...process.env, WARDEN_URL: server.url, WARDEN_TOKEN: server.token };
const cli = (...args: string[]) => timed(process.execPath, [wardenBin, ...args], env);

try {
  cli('model', 'create', 'bench');
  timed('sha256sum', [file]);
  let round = 0;
  // Each push changes the file's first bytes so every version is new content (no dedup shortcut).
  const touch = () => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from(`round-${++round}-${Date.now()}`.padEnd(32)), 0, 32, 0);
    closeSync(fd);
  };
  const rows = [
    measure('sha256sum FILE (baseline)', runs, () => timed('sha256sum', [file])),
    measure('warden model push FILE', runs, () => {
      touch();
      return cli('model', 'push', file, '--model', 'bench');
    }),
    measure('warden model pull (download+verify)', runs, () => {
      const out = path.join(dataDir, `pull-${round}-${Math.random()}`);
      const r = cli('model', 'pull', 'bench', '--out', out);
      rmSync(out, { recursive: true, force: true });
      return r;
    }),
  ];
  console.log(
    `push/pull of ${(bytes / 1024 ** 2).toFixed(0)} MiB through a local server, ${runs} runs each, medians`,
  );
  console.log('(peak RSS is the CLI process; the server streams with bounded memory too)');
  report(bytes, rows, 'sha256sum FILE (baseline)');
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
