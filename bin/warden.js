#!/usr/bin/env node
// The published entry point: runs the compiled CLI (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('warden: the CLI is not built yet; run `npm ci` (or `npm run build`) first.\n');
  process.exit(70);
}
await import(compiled);
