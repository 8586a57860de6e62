import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A fresh clone must pass on its own: the suite reads nothing outside the repository (fixtures made by
// other tools are committed under test/fixtures/). .ci/run proves it by running the suite from a copy
// with no neighbours; this guard names the offending line without needing such a copy.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const self = fileURLToPath(import.meta.url);

/** Every source file the suite runs or imports: src/, test/ and the vitest config. */
function sourceFiles(): string[] {
  const out: string[] = [path.join(repoRoot, 'vitest.config.ts')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|mjs|cjs|py)$/.test(entry.name)) out.push(full);
    }
  };
  walk(path.join(repoRoot, 'src'));
  walk(path.join(repoRoot, 'test'));
  return out.filter((file) => file !== self);
}

const inside = (target: string) => {
  const rel = path.relative(repoRoot, target);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
};

interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

function findings(): Finding[] {
  const found: Finding[] = [];
  for (const file of sourceFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      const at = { file: path.relative(repoRoot, file), line: i + 1, text: text.trim() };
      // A path resolved from the file itself: it must land inside the repository.
      for (const m of text.matchAll(/new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url/g)) {
        const target = fileURLToPath(new URL(m[2] as string, `file://${file}`));
        if (!inside(target)) found.push({ ...at, why: `resolves outside the repository: ${target}` });
      }
      // The neighbouring folder these vectors used to be read from, and this machine's absolute paths.
      if (/shared\/interop|\/work\//.test(text))
        found.push({ ...at, why: 'names a folder outside the repository' });
    });
  }
  return found;
}

describe('the test suite is self-contained', () => {
  it('resolves no file path outside the repository', () => {
    expect(findings()).toEqual([]);
  });

  it('catches a path that climbs out (the check itself works)', () => {
    const outside = fileURLToPath(new URL('../../../shared/x', `file://${self}`));
    expect(inside(outside)).toBe(false);
    expect(inside(path.join(repoRoot, 'test', 'fixtures'))).toBe(true);
  });
});
