import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileScanner, type FileScanResult } from '../../src/modules/scanning/index.js';

const pythonAvailable = spawnSync('python3', ['-c', 'import pickle'], { stdio: 'ignore' }).status === 0;

// Only dumps: nothing here ever unpickles, so the malicious payloads never run.
const generator = `
import collections, os, pickle, subprocess, sys
out = sys.argv[1]
class System:
    def __reduce__(self): return (os.system, ('echo pwned',))
class Eval:
    def __reduce__(self): return (eval, ("__import__('os').system('echo pwned')",))
class Popen:
    def __reduce__(self): return (subprocess.Popen, (['echo', 'pwned'],))
benign = {'dict': {'a': 1, 'b': [1.5, 'x', None]}, 'list': [1, 2, (3, 4)], 'odict': collections.OrderedDict(a=1)}
malicious = {'system': System(), 'eval': Eval(), 'popen': Popen()}
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    for group, objs in (('benign', benign), ('malicious', malicious)):
        for name, obj in objs.items():
            with open(f'{out}/{group}-{name}-p{proto}.pkl', 'wb') as f:
                pickle.dump(obj, f, protocol=proto)
`;

describe.runIf(pythonAvailable)("pickles written by Python's pickle module", () => {
  let dir: string;
  const results = new Map<string, FileScanResult>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-pypickle-'));
    const run = spawnSync('python3', ['-c', generator, dir], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    for (const name of await readdir(dir)) {
      const scanner = createFileScanner(name)!;
      const bytes = await readFile(path.join(dir, name));
      for (let at = 0; at < bytes.length; at += 3) scanner.push(bytes.subarray(at, at + 3));
      results.set(name, await scanner.end());
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds nothing in benign dicts, lists and OrderedDicts of every protocol', () => {
    const benign = [...results].filter(([name]) => name.startsWith('benign-'));
    expect(benign.length).toBeGreaterThanOrEqual(18);
    for (const [name, result] of benign)
      expect({ name, ...result }).toMatchObject({ format: 'pickle', severity: 'none' });
  });

  it.each([
    ['system', /^(os|posix|nt)\.system$/],
    // Protocols 0–2 write Python 2 names (fix_imports), which CPython maps back when loading.
    ['eval', /^(builtins|__builtin__)\.eval$/],
    ['popen', /^(subprocess|commands)\.Popen$/],
  ])('flags a __reduce__ to %s as critical in every protocol', (kind, global) => {
    const hits = [...results].filter(([name]) => name.startsWith(`malicious-${kind}-`));
    expect(hits.length).toBeGreaterThanOrEqual(6);
    for (const [name, result] of hits) {
      expect({ name, severity: result.severity }).toEqual({ name, severity: 'critical' });
      expect(result.findings.map((f) => f.global)).toContainEqual(expect.stringMatching(global));
    }
  });
});
