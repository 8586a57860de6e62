import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  attempt,
  bearer,
  expectAuthFailureEntry,
  expectIntactChain,
  expectSameBodies,
  expireInDatabase,
  issueWorkingToken,
  pushAs,
} from './security-helpers.js';

// Security regressions: every way of presenting a bad API token is refused alike (401, one generic body),
// lands in the audit log with its precise reason, and changes nothing, whatever the request tried to do.
describe('attack: bad API tokens against the full app', () => {
  let t: TestApp;
  let adminId: string;
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    adminId = t.adminToken.split('_')[1] ?? '';
    await createModel(t, 'iris');
    await push(t, 'iris', { kind: 'directory' }, [{ path: 'model.bin', content: 'v1' }]);
    await push(t, 'iris', { kind: 'directory', aliases: ['prod'] }, [{ path: 'model.bin', content: 'v2' }]);
  });
  afterAll(async () => t?.close());

  const as = (authorization: string | undefined, request: InjectOptions): InjectOptions => ({
    ...request,
    headers: { ...(request.headers ?? {}), ...(authorization === undefined ? {} : { authorization }) },
  });
  const createEvil: InjectOptions = { method: 'POST', url: `${api}/models`, payload: { name: 'evil' } };
  const moveProd: InjectOptions = {
    method: 'PUT',
    url: `${api}/models/iris/aliases/prod`,
    payload: { version: 1, reason: 'roll back' },
  };
  const issueBackdoor: InjectOptions = {
    method: 'POST',
    url: `${api}/tokens`,
    payload: { name: 'backdoor', roles: ['admin'] },
  };
  const revokeAdmin = (): InjectOptions => ({ method: 'DELETE', url: `${api}/tokens/${adminId}` });
  const evilFiles = [{ path: 'model.bin', content: 'attacker bytes' }];

  /** One refused authentication: all four checks, and its body kept for the cross-case comparison. */
  const refused = async (request: InjectOptions, reason: string, presented?: string) => {
    const a = await attempt(t, request, 401, presented);
    expectAuthFailureEntry(a, reason);
    bodies.push(a.body);
    return a;
  };

  it('no Authorization header: a model cannot be created anonymously', async () => {
    await refused(createEvil, 'missing_credentials');
  });

  it('"Bearer" with nothing after it', async () => {
    await refused(as('Bearer ', moveProd), 'malformed_credentials');
  });

  it('Basic credentials (another scheme) cannot revoke the admin token', async () => {
    const basic = `Basic ${Buffer.from(`admin:${t.adminToken}`).toString('base64')}`;
    await refused(as(basic, revokeAdmin()), 'unsupported_scheme', basic);
  });

  it('a garbled token (wdn_ prefix, no id or secret) cannot push', async () => {
    await refused(pushAs(bearer('wdn_xxx'), 'iris', evilFiles), 'malformed_credentials');
  });

  it('a well-formed token whose id does not exist cannot issue itself an admin token', async () => {
    const forged = `wdn_${'A'.repeat(12)}_${'b'.repeat(43)}`;
    await refused(as(bearer(forged), issueBackdoor), 'unknown_token', forged);
  });

  it("the admin token's id with a guessed secret", async () => {
    const guessed = `wdn_${adminId}_${'0'.repeat(43)}`;
    expect(guessed).not.toBe(t.adminToken);
    await refused(as(bearer(guessed), createEvil), 'secret_mismatch', guessed);
  });

  it('a token past its expiry cannot push', async () => {
    const { token, id } = await issueWorkingToken(t, { name: 'expiring-bot', roles: ['contributor'] });
    await expireInDatabase(t, id);
    await refused(pushAs(bearer(token), 'iris', evilFiles), 'token_expired', token);
  });

  it('a revoked token cannot move an alias it could move before', async () => {
    const { token, id } = await issueWorkingToken(t, { name: 'revoked-bot', roles: ['contributor'] });
    const revoke = await t.app.inject({ method: 'DELETE', url: `${api}/tokens/${id}` });
    expect(revoke.statusCode, revoke.body).toBe(204);
    await refused(as(bearer(token), moveProd), 'token_revoked', token);
  });

  it('a probe of a route that does not exist answers 404 and writes nothing', async () => {
    const head = (await t.app.inject({ method: 'GET', url: `${api}/audit/verify` })).json().head.seq;
    const res = await t.rawApp.inject(
      as('Bearer not-a-token', { method: 'GET', url: `${api}/admin/secrets` }),
    );
    expect([res.statusCode, res.json().code]).toEqual([404, 'route_not_found']);
    await t.container.authFailureLog.flush();
    expect((await t.app.inject({ method: 'GET', url: `${api}/audit/verify` })).json().head.seq).toBe(head);
  });

  it('every refusal answered the very same body (request ids aside), and the chain is intact', async () => {
    expect(bodies).toHaveLength(8);
    expectSameBodies(bodies);
    // The admin token, the one target of several attempts, still works and still holds everything.
    const who = await t.app.inject({ method: 'GET', url: `${api}/whoami` });
    expect(who.json()).toMatchObject({ id: t.adminId, name: 'admin', roles: ['admin'], unscoped: true });
    const prod = await t.app.inject({ method: 'GET', url: `${api}/models/iris/versions/prod` });
    expect(prod.json()).toMatchObject({ number: 2 });
    await expectIntactChain(t);
  });
});
