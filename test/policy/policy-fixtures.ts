import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll } from 'vitest';
import {
  type CedarPolicyEngine,
  createCedarPolicyEngine,
  loadPolicies,
} from '../../src/adapters/cedar/index.js';
import type { CliContext } from '../../src/cli/context.js';
import type { ModelAttributes, ResourceRef, ResourceType } from '../../src/modules/policy/index.js';
import type { Principal, Role } from '../../src/platform/principal.js';

/** The shipped schema and roles, read once per test file. */
export const shipped = await loadPolicies();

/** An engine over the shipped files plus `extra` operator files given as text. */
export function engineWith(extra: { id: string; text: string }[] = [], cacheSize = 0): CedarPolicyEngine {
  return createCedarPolicyEngine({ ...shipped, policies: [...shipped.policies, ...extra], cacheSize });
}

export function principal(roles: Role[], teams: string[] = [], id = 'service:ci-bot'): Principal {
  return {
    id,
    kind: id.startsWith('user:') ? 'user' : 'service',
    name: id.slice(id.indexOf(':') + 1),
    roles,
    teams,
    unscoped: teams.length === 0,
    via: { kind: 'token', tokenId: 'tok_1' },
  };
}

export const model = (owner = 'vision', tags: string[] = [], name = 'iris'): ModelAttributes => ({
  name,
  owner,
  tags,
});

/** A representative resource of each type, owned by `owner`. */
export function resourceOfType(type: ResourceType, owner = 'vision', tags: string[] = []): ResourceRef {
  switch (type) {
    case 'Registry':
      return { type };
    case 'AuditLog':
      return { type };
    case 'Model':
      return { type, model: model(owner, tags) };
    case 'Version':
      return {
        type,
        model: model(owner, tags),
        version: { number: 3, format: 'onnx', digest: 'a'.repeat(64) },
      };
    case 'Alias':
      return { type, model: model(owner, tags), alias: 'champion' };
    case 'Deployment':
      return { type, model: model(owner, tags), environment: 'production' };
    case 'Token':
      return { type, id: 'tok_2', principal: 'service:other' };
  }
}

/** A temporary folder for policy files, removed after the test file. */
export function policyDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-policy-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A CLI context whose streams write to strings. */
export function bufferedContext(cwd: string): CliContext & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  return {
    cwd,
    env: {},
    io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) },
    out: () => out,
    err: () => err,
  };
}
