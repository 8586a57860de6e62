import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/platform/call-context.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// Reading the audit log is authorized inside the audit service, against the log and with the caller's
// scope, not by the HTTP layer: any transport (or none) that hands the service a caller gets the same
// decision, and every refusal is on the record before anything is read or signed.
describe('audit reads are authorized in the service', () => {
  let t: TestApp;
  let viewer: string;

  beforeEach(async () => {
    t = await createTestApp();
    viewer = await t.tokenFor({ name: 'peeker', roles: ['viewer'], teams: ['vision'] });
  });
  afterEach(async () => {
    await t.close();
  });

  const contextOf = async (token: string): Promise<CallContext> => {
    const auth = await t.container.authenticate(`Bearer ${token}`);
    if (!auth.ok) throw new Error('the token does not authenticate');
    return { principal: auth.principal, requestId: 'req-direct', clientAddress: '192.0.2.1' };
  };
  const denials = async () =>
    (await t.container.auditQuery.list({ order: 'asc', limit: 500 }, { unscoped: true })).items.filter(
      (e) => e.outcome === 'denied',
    );

  it('refuses a viewer called directly, with no HTTP layer, and records each denial', async () => {
    const ctx = await contextOf(viewer);
    const audit = t.container.audit;
    const checkpointsBefore = (await t.container.auditQuery.checkpoints()).length;
    for (const call of [
      () => audit.list(ctx, {}),
      () => audit.checkpoints(ctx),
      () => audit.pubkey(ctx),
      () => audit.verify(ctx),
      () => audit.exportLines(ctx),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'forbidden' });
    expect((await denials()).map((e) => [e.action, e.resource, e.requestId])).toEqual([
      ['audit:log:read', 'audit', 'req-direct'],
      ['audit:log:read', 'audit', 'req-direct'],
      ['audit:key:read', 'audit', 'req-direct'],
      ['audit:log:verify', 'audit', 'req-direct'],
      ['audit:log:export', 'audit', 'req-direct'],
    ]);
    // A refused export signs nothing: the checkpoint is written only once the export may go ahead.
    expect(await t.container.auditQuery.checkpoints()).toHaveLength(checkpointsBefore);
  });

  it('over HTTP, a viewer gets 403 on every audit route and the admin gets the log', async () => {
    for (const url of ['/audit', '/audit/checkpoints', '/audit/pubkey', '/audit/verify', '/audit/export']) {
      const res = await t.rawApp.inject({
        method: 'GET',
        url: `/api/v1${url}`,
        headers: { authorization: `Bearer ${viewer}` },
      });
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    expect(await denials()).toHaveLength(5);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify' })).json()).toMatchObject({
      ok: true,
    });
  });

  it('narrows a team-scoped administrator’s search to its teams, whatever it asks for', async () => {
    const teamAdmin = await t.tokenFor({ name: 'vision-admin', roles: ['admin'], teams: ['vision'] });
    await t.app.inject({ method: 'POST', url: '/api/v1/models', payload: { name: 'iris', owner: 'vision' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/models', payload: { name: 'bert', owner: 'nlp' } });
    const page = await t.container.audit.list(await contextOf(teamAdmin), { limit: 500 });
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((e) => e.team === 'vision')).toBe(true);
    expect(page.items.map((e) => e.resource)).toContain('model:iris');
    expect(page.items.map((e) => e.resource)).not.toContain('model:bert');
  });
});
