import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, configDefaults, envKeys } from '../config/config.schema.js';
import { runCli } from './run-cli.js';

/** Runs the CLI in process and returns what it printed. */
async function cli(argv: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await runCli(argv, { cwd: process.cwd(), env: {}, io: { stdout, stderr: stdout } });
  return { code, out };
}

/** Leaf keys straight from the JSON schema (objects and nullable objects are walked into). */
function schemaLeafKeys(node: Record<string, unknown>, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [name, child] of Object.entries(
    (node.properties ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    const key = prefix ? `${prefix}.${name}` : name;
    const members = [child, ...((child.anyOf ?? []) as Record<string, unknown>[])];
    const object = members.find((m) => m.type === 'object' && m.properties);
    keys.push(...(object ? schemaLeafKeys(object, key) : [key]));
  }
  return keys;
}

function defaultKeys(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([name, v]) => {
    const key = prefix ? `${prefix}.${name}` : name;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? defaultKeys(v as Record<string, unknown>, key)
      : [key];
  });
}

describe('warden serve --help', () => {
  it('lists every setting of the config schema with its variable', async () => {
    const { code, out } = await cli(['serve', '--help']);
    expect(code).toBe(0);
    const all = [
      ...schemaLeafKeys(ConfigSchema as unknown as Record<string, unknown>),
      ...defaultKeys(configDefaults as unknown as Record<string, unknown>),
      ...Object.values(envKeys),
    ];
    // A group whose default is null (`oidc`) is listed by its members.
    const keys = new Set(all.filter((key) => !all.some((other) => other.startsWith(`${key}.`))));
    // The settings the issue found missing, so a broken walk cannot pass with a short list.
    for (const key of ['oidc.issuer', 'oidc.teamsClaim', 'policyFiles', 'encryption.masterKey'])
      expect(keys).toContain(key);
    expect(keys).toContain('audit.checkpointEvery');
    for (const key of keys) expect(out).toMatch(new RegExp(`^  ${key.replaceAll('.', '\\.')}  \\(`, 'm'));
    for (const [name, key] of Object.entries(envKeys)) {
      const line = out.split('\n').find((l) => l.startsWith(`  ${key}  (`));
      expect(line, key).toContain(name);
    }
  });

  it('shows defaults and the same list through `warden help serve`', async () => {
    const { out } = await cli(['serve', '--help']);
    expect(out).toContain('limits.maxFileBytes  (WARDEN_MAX_FILE_BYTES; default: 64GiB)');
    expect(out).toContain('audit.checkpointEvery  (WARDEN_AUDIT_CHECKPOINT_EVERY; default: 100)');
    expect(out).toContain('host  (--host, WARDEN_HOST; default: 127.0.0.1)');
    expect((await cli(['help', 'serve'])).out).toBe(out);
  });

  it('says nothing outdated', async () => {
    const { out } = await cli(['serve', '--help']);
    expect(out).not.toMatch(/until authentication exists|loopback only/i);
  });
});
