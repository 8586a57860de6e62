import { readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  childEnv,
  cleanup,
  fileRootDigest,
  freePort,
  repoRoot,
  spawnTracked,
  tempDir,
  terminate,
  waitForListening,
  waitForPortClosed,
} from './helpers.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const marker = '<!-- quickstart-cli';

/** The lines of the first ```bash block after the quickstart marker. */
function quickstartLines(): string[] {
  const at = readme.indexOf(marker);
  expect(at, `README.md has no ${marker} marker`).toBeGreaterThanOrEqual(0);
  const block = /```bash\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block, 'no ```bash block after the quickstart marker').not.toBeNull();
  return (block?.[1] ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

async function bash(line: string, cwd: string, url: string): Promise<CliResult> {
  const proc = spawnTracked('bash', ['-ec', line], { cwd, env: childEnv({ WARDEN_URL: url }) });
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 120_000);
  try {
    const { code } = await proc.exited;
    return { code, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

describe('README quick start', { timeout: 120_000 }, () => {
  afterAll(cleanup);

  it('documents how to start the server and run the tests', () => {
    expect(readme).toContain('```bash\nnpm ci && npm start\n```');
    expect(readme).toContain('```bash\nnpm test\n```');
    const lines = quickstartLines();
    expect(lines.length).toBeGreaterThan(0);
    // The first line takes the admin token the first start wrote, the second puts bin/ on PATH (no npx
    // start-up per call); every other line is a warden command.
    expect(lines[0]).toBe('export WARDEN_TOKEN=$(cat warden-data/admin-token)');
    expect(lines[1]).toBe('export PATH="$PWD/bin:$PATH"');
    for (const line of lines.slice(2)) expect(line).toMatch(/^warden /);
    expect(lines.at(-1)).toBe('warden digest ./pulled-iris/iris.onnx');
  });

  it('keeps the command on PATH executable, and the demo output out of git', () => {
    // `export PATH="$PWD/bin:$PATH"` finds bin/warden: a link to the published entry point, which git
    // must keep executable (mode 100755) with its node shebang.
    expect(readlinkSync(path.join(repoRoot, 'bin', 'warden'))).toBe('warden.js');
    const entry = path.join(repoRoot, 'bin', 'warden.js');
    expect(statSync(entry).mode & 0o111).toBe(0o111);
    expect(readFileSync(entry, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const ignored = readFileSync(path.join(repoRoot, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain('pulled-*/');
  });

  it('still runs through npx from the repository folder', async () => {
    const proc = spawnTracked('npx', ['warden', '--version'], { cwd: repoRoot, env: childEnv() });
    const { code } = await proc.exited;
    expect(code, proc.stderr()).toBe(0);
    expect(proc.stdout().trim()).toBe(
      JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version,
    );
    expect(proc.stderr()).not.toMatch(/npm warn/i);
  });

  it('runs, line by line, against a server started with `npm start`', async () => {
    // `npm start` takes its port from WARDEN_PORT, which cannot be 0 here: the test must know it.
    const port = await freePort();
    const dataDir = tempDir('warden-readme-data-');
    const server = spawnTracked('npm', ['start'], {
      cwd: repoRoot,
      // Its own process group, so SIGTERM reaches npm's child `node bin/warden.js serve` too.
      detached: true,
      env: childEnv({
        WARDEN_PORT: String(port),
        WARDEN_DATA_DIR: dataDir,
        WARDEN_LOG_LEVEL: 'warn',
      }),
    });
    const { url } = await waitForListening(server);
    expect(url).toBe(`http://127.0.0.1:${port}`);

    const cwd = tempDir('warden-readme-');
    symlinkSync(path.join(repoRoot, 'examples'), path.join(cwd, 'examples'));
    symlinkSync(path.join(repoRoot, 'bin'), path.join(cwd, 'bin'));
    // The README runs from the repository root, where `npm start` keeps ./warden-data.
    symlinkSync(dataDir, path.join(cwd, 'warden-data'));
    const digest = fileRootDigest(path.join(repoRoot, 'examples', 'iris', 'model', 'iris.onnx'));

    const outputs: { line: string; result: CliResult }[] = [];
    // As in one terminal: each line runs after the exports before it.
    const exports: string[] = [];
    for (const line of quickstartLines()) {
      // Each line runs as written: `warden` must be the one the PATH line put first.
      const result = await bash([...exports, line].join('\n'), cwd, url);
      if (line.startsWith('export ')) exports.push(line);
      expect(result.code, `${line}\n${result.stdout}${result.stderr}`).toBe(0);
      outputs.push({ line, result });
    }

    const which = await bash([...exports, 'command -v warden'].join('\n'), cwd, url);
    expect(which.stdout.trim()).toBe(path.join(cwd, 'bin', 'warden'));
    const show = outputs.find((o) => o.line.startsWith('warden model show '));
    expect(show?.result.stdout).toContain(digest);
    expect(show?.result.stdout).toContain('float_input');
    expect(outputs.at(-1)?.result.stdout.trim()).toBe(digest);
    expect(readFileSync(path.join(cwd, 'pulled-iris', 'iris.onnx'))).toEqual(
      readFileSync(path.join(repoRoot, 'examples', 'iris', 'model', 'iris.onnx')),
    );

    // npm itself dies of the signal; what matters is that its child, the server, is gone.
    const stopped = await terminate(server, true);
    expect([0, null]).toContain(stopped.code);
    await waitForPortClosed(port);
  });
});
