import * as crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/platform/errors.js';
import { adminContext, type IdentityHarness, identityHarness, viewerContext } from './identity-harness.js';

// Counts constant-time comparisons; the real function still does the work.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
  return 'no error';
};

describe('identity service', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    h = await identityHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const issue = (overrides: Partial<Parameters<IdentityHarness['service']['issueToken']>[0]> = {}) =>
    h.service.issueToken(
      { name: 'ci-bot', roles: ['contributor'], teams: ['vision'], ...overrides },
      adminContext,
    );
  const rawRows = async () => {
    const tokens = await sql`select * from api_tokens`.execute(h.database.db);
    const principals = await sql`select * from principals`.execute(h.database.db);
    return JSON.stringify([tokens.rows, principals.rows]);
  };

  describe('issuing', () => {
    it('creates the service account and a token for it, shown once with its grant', async () => {
      const issued = await issue({ expires: '30d' });
      expect(issued).toEqual({
        id: expect.stringMatching(/^[0-9A-Za-z]{12}$/),
        token: expect.stringMatching(/^wdn_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/),
        name: 'ci-bot',
        principal: 'service:ci-bot',
        roles: ['contributor'],
        teams: ['vision'],
        expiresAt: '2026-02-09T12:00:00.000Z',
        createdAt: '2026-01-10T12:00:00.000Z',
      });
      expect(issued.token.slice(4, 16)).toBe(issued.id);
      expect(await h.read.identity.findPrincipal('service:ci-bot')).toMatchObject({
        kind: 'service',
        roles: ['contributor'],
        teams: ['vision'],
        createdBy: 'user:alice',
      });
      expect(h.events.map((e) => e.type)).toEqual(['identity.principal.created', 'identity.token.created']);
    });

    it('stores only a hash: the secret appears nowhere in the database or the audit events', async () => {
      const { token } = await issue();
      const secret = token.slice(17);
      const stored = await rawRows();
      expect(stored).toContain(crypto.createHash('sha256').update(secret).digest('hex'));
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain(secret.slice(0, 20));
      expect(JSON.stringify(h.events)).not.toContain(secret);
      expect(JSON.stringify(await h.service.listTokens(adminContext))).not.toMatch(/secret|hash|wdn_/i);
    });

    it('reuses the account for another token; each token keeps its own grant', async () => {
      const first = await issue();
      const second = await issue({ roles: ['viewer', 'deployer', 'viewer'], teams: [] });
      expect(second.roles).toEqual(['viewer', 'deployer']);
      expect((await h.read.identity.findPrincipal('service:ci-bot'))?.roles).toEqual(['viewer', 'deployer']);
      const a = await h.service.authenticateToken(first.token);
      expect(a.ok && a.principal.roles).toEqual(['contributor']);
      expect(h.events.map((e) => e.type)).toEqual([
        'identity.principal.created',
        'identity.token.created',
        'identity.principal.updated',
        'identity.token.created',
      ]);
    });

    it.each([
      [{ name: 'CI Bot' }, 'invalid_account_name'],
      [{ name: 'service:x' }, 'invalid_account_name'],
      [{ roles: [] }, 'roles_required'],
      [{ roles: ['root'] }, 'invalid_role'],
      [{ roles: ['__proto__'] }, 'invalid_role'],
      [{ teams: ['Vision'] }, 'invalid_team'],
      [{ expires: '500d' }, 'invalid_expiry'],
      [{ expires: '2020-01-01' }, 'invalid_expiry'],
    ])('refuses %j (%s) and stores nothing', async (input, code) => {
      expect(await codeOf(issue(input))).toBe(code);
      expect(await h.read.identity.isEmpty()).toBe(true);
    });

    it('asks the policy first: a caller it refuses creates nothing', async () => {
      const refused = h.service.issueToken({ name: 'ci-bot', roles: ['admin'] }, viewerContext);
      expect(await codeOf(refused)).toBe('forbidden_test');
      expect(await h.read.identity.isEmpty()).toBe(true);
      expect(h.events).toEqual([]);
    });
  });

  describe('authenticating', () => {
    it('accepts a valid token as its service account, with the grant and the token id', async () => {
      const issued = await issue();
      expect(await h.service.authenticateToken(issued.token)).toEqual({
        ok: true,
        principal: {
          // The token itself, not the account's name: a token named "admin" is no "service:admin".
          id: `token:${issued.id}`,
          kind: 'service',
          name: 'ci-bot',
          roles: ['contributor'],
          teams: ['vision'],
          unscoped: false,
          via: { kind: 'token', tokenId: issued.id },
        },
      });
    });

    it('gives the precise reason of each failure (for the audit log only)', async () => {
      const { token, id } = await issue();
      const secret = token.slice(17);
      const wrongSecret = `wdn_${id}_${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
      const unknownId = `wdn_${'Z'.repeat(12)}_${secret}`;
      expect(await h.service.authenticateToken(wrongSecret)).toEqual({
        ok: false,
        reason: 'secret_mismatch',
      });
      expect(await h.service.authenticateToken(unknownId)).toEqual({ ok: false, reason: 'unknown_token' });
      expect(await h.service.authenticateToken(`${token}x`)).toEqual({
        ok: false,
        reason: 'malformed_credentials',
      });
      expect(await h.service.authenticateToken('wdn_garbage')).toEqual({
        ok: false,
        reason: 'malformed_credentials',
      });
    });

    it('compares in constant time on every path that reaches a secret, unknown ids included', async () => {
      const { token, id } = await issue();
      const secret = token.slice(17);
      const compare = vi.mocked(crypto.timingSafeEqual);
      const comparisons = async (presented: string) => {
        compare.mockClear();
        await h.service.authenticateToken(presented);
        return compare.mock.calls.map(([a, b]) => [(a as Buffer).length, (b as Buffer).length]);
      };
      expect(await comparisons(token)).toEqual([[32, 32]]);
      expect(await comparisons(`wdn_${id}_${'0'.repeat(43)}`)).toEqual([[32, 32]]);
      expect(await comparisons(`wdn_${'Z'.repeat(12)}_${secret}`)).toEqual([[32, 32]]);
    });

    it('refuses a token from the instant it expires (fixed clock)', async () => {
      const { token } = await issue({ expires: '1h' });
      h.clock.advance(60 * 60_000 - 1);
      expect((await h.service.authenticateToken(token)).ok).toBe(true);
      h.clock.advance(1);
      expect(await h.service.authenticateToken(token)).toEqual({ ok: false, reason: 'token_expired' });
    });

    it('writes the last-used time at most once a minute', async () => {
      const { token, id } = await issue();
      const lastUsed = async () => (await h.read.identity.findToken(id))?.lastUsedAt;
      expect(await lastUsed()).toBeNull();
      await h.service.authenticateToken(token);
      expect(await lastUsed()).toBe('2026-01-10T12:00:00.000Z');
      h.clock.advance(59_000);
      await h.service.authenticateToken(token);
      expect(await lastUsed()).toBe('2026-01-10T12:00:00.000Z');
      h.clock.advance(1_000);
      await h.service.authenticateToken(token);
      expect(await lastUsed()).toBe('2026-01-10T12:01:00.000Z');
    });

    it('changes nothing when authentication fails', async () => {
      const { token, id } = await issue();
      const before = await rawRows();
      await h.service.authenticateToken(`wdn_${id}_${'0'.repeat(43)}`);
      await h.service.revokeToken(id, adminContext);
      const afterRevoke = await rawRows();
      await h.service.authenticateToken(token);
      expect(await rawRows()).toBe(afterRevoke);
      expect(before).not.toBe(afterRevoke);
    });
  });

  describe('revoking', () => {
    it('revokes a token: it no longer authenticates, and the revocation is recorded once', async () => {
      const { token, id } = await issue();
      h.clock.advance(5_000);
      const view = await h.service.revokeToken(id, adminContext);
      expect(view).toMatchObject({ id, revokedAt: '2026-01-10T12:00:05.000Z', revokedBy: 'user:alice' });
      expect(await h.service.authenticateToken(token)).toEqual({ ok: false, reason: 'token_revoked' });

      h.clock.advance(5_000);
      expect(await h.service.revokeToken(id, adminContext)).toEqual(view);
      expect(h.events.filter((e) => e.type === 'identity.token.revoked')).toHaveLength(1);
    });

    it('answers token_not_found for an unknown id, and forbidden for a caller the policy refuses', async () => {
      const { token, id } = await issue();
      expect(await codeOf(h.service.revokeToken('ZZZZZZZZZZZZ', adminContext))).toBe('token_not_found');
      expect(await codeOf(h.service.revokeToken(id, viewerContext))).toBe('forbidden_test');
      expect((await h.service.authenticateToken(token)).ok).toBe(true);
    });
  });

  it('lists every token with its metadata', async () => {
    const a = await issue();
    h.clock.advance(1000);
    const b = await issue({ name: 'nightly', roles: ['viewer'], teams: [] });
    await h.service.revokeToken(a.id, adminContext);
    const list = await h.service.listTokens(adminContext);
    expect(list.map((t) => [t.id, t.name, t.principal, t.revokedBy])).toEqual([
      [a.id, 'ci-bot', 'service:ci-bot', 'user:alice'],
      [b.id, 'nightly', 'service:nightly', null],
    ]);
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(
      [
        'createdAt',
        'createdBy',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'principal',
        'revokedAt',
        'revokedBy',
        'roles',
        'teams',
      ].sort(),
    );
    expect(await codeOf(h.service.listTokens(viewerContext))).toBe('forbidden_test');
  });
});
