import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdminTokenFileWriter } from '../../src/adapters/local/admin-token-file.js';
import { ensureBootstrapAdmin } from '../../src/modules/identity/index.js';
import { AppError } from '../../src/platform/errors.js';
import { databaseFactories, type TestDatabaseFactory } from '../fixtures/databases.js';
import { type IdentityHarness, identityHarness } from './identity-harness.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

describe.each(backends)('first-start admin token (%s)', (_name, factory) => {
  let h: IdentityHarness;
  let file: string;
  beforeEach(async () => {
    h = await identityHarness(factory);
    file = path.join(h.t.dataDir, 'admin-token');
  });
  afterEach(async () => {
    await h.close();
  });

  const bootstrap = () =>
    ensureBootstrapAdmin({
      uow: h.uow,
      clock: h.clock,
      writeAdminToken: createAdminTokenFileWriter(h.t.dataDir),
      recordEvent: async (_stores, event) => {
        h.events.push(event);
      },
    });

  it('creates service:admin and one token on an empty database, written to a 0600 file', async () => {
    const result = await bootstrap();
    if (!result.created) throw new Error('expected a bootstrap');
    expect(result.file).toBe(file);
    expect(result.token).toMatch(/^wdn_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(readFileSync(file, 'utf8')).toBe(`${result.token}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const auth = await h.service.authenticateToken(result.token);
    expect(auth).toEqual({
      ok: true,
      principal: {
        id: `token:${result.tokenId}`,
        kind: 'service',
        name: 'admin',
        roles: ['admin'],
        teams: [],
        unscoped: true,
        via: { kind: 'token', tokenId: result.tokenId },
      },
    });
    expect((await h.read.identity.findToken(result.tokenId))?.expiresAt).toBeNull();
    expect(h.events.map((e) => [e.type, e.actor])).toEqual([
      ['identity.principal.created', 'system'],
      ['identity.token.created', 'system'],
    ]);
    expect(JSON.stringify(h.events)).not.toContain(result.token.slice(17));
  });

  it('does nothing on later starts: no second token, the file is left alone', async () => {
    const first = await bootstrap();
    const before = readFileSync(file, 'utf8');
    const events = h.events.length;
    expect(await bootstrap()).toEqual({ created: false });
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await h.read.identity.listTokens()).toHaveLength(1);
    expect(h.events).toHaveLength(events);
    expect(first.created).toBe(true);
  });

  it('does nothing once any principal exists, even without the file', async () => {
    await h.service.issueToken(
      { name: 'ci-bot', roles: ['viewer'] },
      {
        requestId: null,
        clientAddress: null,
        principal: {
          id: 'user:alice',
          kind: 'user',
          name: 'alice',
          roles: ['admin'],
          teams: [],
          unscoped: true,
          via: { kind: 'oidc', issuer: 'https://idp.example', subject: 'alice', jti: null },
        },
      },
    );
    expect(await bootstrap()).toEqual({ created: false });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses to write over an existing file, and keeps nothing of the attempt', async () => {
    writeFileSync(file, 'left over\n');
    let caught: unknown;
    try {
      await bootstrap();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('admin_token_file_exists');
    expect(readFileSync(file, 'utf8')).toBe('left over\n');
    expect(await h.read.identity.isEmpty()).toBe(true);
  });

  it('bootstraps once when two starts race on the same database', async () => {
    const results = await Promise.all([bootstrap(), bootstrap()]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await h.read.identity.listTokens()).toHaveLength(1);
  });
});
