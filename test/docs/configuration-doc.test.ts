import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference } from '../../src/config/config-reference.js';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

describe('docs/configuration.md', () => {
  it('has a row for every setting of the schema, with its variable', () => {
    const rows = new Map(
      [...doc.matchAll(/^\| `([A-Za-z.]+)` \| ([^|]*) \|/gm)].map((m) => [m[1], (m[2] ?? '').trim()]),
    );
    for (const setting of configReference()) {
      expect(rows.has(setting.key), `no row for ${setting.key}`).toBe(true);
      if (setting.env) expect(rows.get(setting.key), setting.key).toBe(`\`${setting.env}\``);
    }
  });
});
