import { execFile } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** Written after a successful build; dist/ is current while no input is newer than it. */
const stamp = path.join(repoRoot, 'dist', '.e2e-build-stamp');
const buildInputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time among the build's inputs (src/ and the configs), in ms. */
function newestInput(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(path.join(repoRoot, 'src'));
  walk(path.join(repoRoot, 'web'));
  for (const file of buildInputs) newest = Math.max(newest, statSync(path.join(repoRoot, file)).mtimeMs);
  return newest;
}

function stampTime(): number {
  try {
    return statSync(stamp).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds dist/ (the server and the console) as `npm run build` does, so the end-to-end suites run `node bin/warden.js` — the published
 * entry point — against the current sources. It skips the build when nothing changed since the last one:
 * tsc rewrites every file of dist/, and a rebuild under a test run that is already using dist/ (another
 * terminal's `vitest run`) would break that run.
 */
export default async function setup(): Promise<void> {
  if (stampTime() > newestInput()) return;
  const started = Date.now();
  try {
    // The server, then the console it serves (dist/web), as `npm run build` does.
    for (const args of [
      ['tsc', '-p', 'tsconfig.build.json'],
      ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    ]) {
      await promisify(execFile)('npx', args, {
        cwd: repoRoot,
        // Vitest sets NODE_ENV=test, which Vite would pass on to React: a development build, 1.7x the
        // size and slower, unlike what `npm run build` ships.
        env: { ...process.env, NODE_ENV: 'production' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 300_000,
      });
    }
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`building the warden binary and console failed (npm run build):\n${stdout}${stderr}`);
  }
  // Stamped with the build's start, so an edit made while tsc ran triggers the next build.
  const at = new Date(started);
  writeFileSync(stamp, `${at.toISOString()}\n`);
  utimesSync(stamp, at, at);
}
