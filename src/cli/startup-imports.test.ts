import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cliDir = path.dirname(fileURLToPath(import.meta.url));

/** Static, value-level imports and re-exports of a source file (type-only ones vanish when compiled). */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms))
    found.push(m[1] as string);
  for (const m of source.matchAll(/^import\s+'([^']+)'/gm)) found.push(m[1] as string);
  return found;
}

/** Every package that loading `entry` loads before any command runs (dynamic import()s excluded). */
function packagesLoadedBy(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else
        packages.add(
          spec.startsWith('node:')
            ? 'node:'
            : spec
                .split('/')
                .slice(0, spec.startsWith('@') ? 2 : 1)
                .join('/'),
        );
    }
  };
  visit(entry);
  return packages;
}

describe('CLI start-up', () => {
  // Every command pays for what main.ts loads statically: `warden --version` took 0.4 s when the config
  // barrel pulled in TypeBox (683 modules). Commands load the rest (server, Cedar, ONNX, HTTP client,
  // TypeBox) with import() when they run.
  it('loads only commander and Node built-ins before a command runs', () => {
    expect([...packagesLoadedBy(path.join(cliDir, 'main.ts'))].sort()).toEqual(['commander', 'node:']);
  });

  // Only `serve`, `keys` (the server's stores) and `policy` (Cedar) need the heavy packages.
  const heavy = /^(typebox|fastify|@fastify\/|kysely|better-sqlite3|pg|@cedar-policy\/|onnxruntime|pino)/;
  const clientCommands = readdirSync(path.join(cliDir, 'commands')).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !['serve.ts', 'keys.ts', 'policy.ts'].includes(f),
  );
  it.each(clientCommands)('%s loads none of the server, Cedar, ONNX or TypeBox', (file) => {
    const loaded = [...packagesLoadedBy(path.join(cliDir, 'commands', file))];
    expect(loaded.filter((p) => heavy.test(p))).toEqual([]);
  });
});
