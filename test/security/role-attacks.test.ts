import { existsSync } from 'node:fs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobFile, createModel, push, sha256, stagingEntries } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  attempt,
  bearer,
  expectDenialEntry,
  expectIntactChain,
  expectSameBodies,
  issueWorkingToken,
  pushAs,
} from './security-helpers.js';

// Security regressions: authenticated callers reaching past their role. Each attempt is a 403 with the one
// generic body, a denial on the audit record naming who tried what on which resource, and no change.
describe('attack: roles reaching past their grant, against the full app', () => {
  let t: TestApp;
  let adminId: string;
  let contributor: string;
  let viewer: string;
  let contributorId: string;
  let viewerId: string;
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    adminId = t.adminToken.split('_')[1] ?? '';
    await createModel(t, 'iris');
    await push(t, 'iris', { kind: 'directory', aliases: ['prod'] }, [{ path: 'model.bin', content: 'v1' }]);
    await push(t, 'iris', { kind: 'directory' }, [{ path: 'model.bin', content: 'v2' }]);
    const bot = await issueWorkingToken(t, { name: 'ci-bot', roles: ['contributor'] });
    const dashboard = await issueWorkingToken(t, { name: 'dashboard', roles: ['viewer'] });
    [contributor, contributorId, viewer, viewerId] = [
      bot.token,
      `token:${bot.id}`,
      dashboard.token,
      `token:${dashboard.id}`,
    ];
  });
  afterAll(async () => t?.close());

  const as = (token: string, request: InjectOptions): InjectOptions => ({
    ...request,
    headers: { ...(request.headers ?? {}), authorization: bearer(token) },
  });
  /** A refused request, its denial on record (no permit: the role simply lacks the action). */
  const denied = async (
    token: string,
    request: InjectOptions,
    expected: { principal: string; action: string; resource: string },
  ) => {
    const a = await attempt(t, as(token, request), 403, token);
    expectDenialEntry(a, expected.principal, expected.action, expected.resource);
    expect(a.entry.details).toMatchObject({ policies: '(no permit)' });
    bodies.push(a.body);
    return a;
  };

  describe('a contributor tries admin actions', () => {
    const principal = () => contributorId;

    it('issuing itself an admin token (identity:token:create)', async () => {
      const a = await denied(
        contributor,
        { method: 'POST', url: `${api}/tokens`, payload: { name: 'escalate', roles: ['admin'] } },
        {
          principal: principal(),
          action: 'identity:token:create',
          resource: 'token:(new for service:escalate)',
        },
      );
      expect(a.res.headers['cache-control']).not.toBe('no-store');
    });

    it('listing the tokens (identity:token:list)', async () => {
      await denied(
        contributor,
        { method: 'GET', url: `${api}/tokens` },
        { principal: principal(), action: 'identity:token:list', resource: 'registry' },
      );
    });

    it("revoking the admin's token (identity:token:revoke)", async () => {
      await denied(
        contributor,
        { method: 'DELETE', url: `${api}/tokens/${adminId}` },
        { principal: principal(), action: 'identity:token:revoke', resource: `token:${adminId}` },
      );
    });

    it('reading the audit log (audit:log:read)', async () => {
      const a = await denied(
        contributor,
        { method: 'GET', url: `${api}/audit?limit=500` },
        { principal: principal(), action: 'audit:log:read', resource: 'audit' },
      );
      expect(a.entry.requestId).toBe(a.res.headers['x-request-id']);
    });

    it('identity denials carry the request id, like every other denial', async () => {
      const a = await attempt(t, as(contributor, { method: 'GET', url: `${api}/tokens` }), 403, contributor);
      expect(a.entry.requestId).toBe(a.res.headers['x-request-id']);
      expect(a.entry.clientAddress).not.toBeNull();
    });
  });

  describe('a viewer tries to change the registry', () => {
    const principal = () => viewerId;

    it('pushing a version: refused before a byte is staged or stored', async () => {
      const bytes = `viewer payload ${Math.random()}`;
      const a = await denied(
        viewer,
        pushAs(bearer(viewer), 'iris', [{ path: 'model.bin', content: bytes }]),
        {
          principal: principal(),
          action: 'registry:version:push',
          resource: 'model:iris',
        },
      );
      expect(a.entry.requestId).toBe(a.res.headers['x-request-id']);
      expect(existsSync(blobFile(t, sha256(bytes)))).toBe(false);
      expect(stagingEntries(t)).toEqual([]);
    });

    it('pushing a version that would also move an alias', async () => {
      await denied(
        viewer,
        pushAs(bearer(viewer), 'iris', [{ path: 'model.bin', content: 'v3' }], { aliases: ['prod'] }),
        { principal: principal(), action: 'registry:version:push', resource: 'model:iris' },
      );
    });

    it('creating a model', async () => {
      await denied(
        viewer,
        { method: 'POST', url: `${api}/models`, payload: { name: 'evil' } },
        { principal: principal(), action: 'registry:model:create', resource: 'model:evil' },
      );
    });

    it('moving an alias', async () => {
      await denied(
        viewer,
        { method: 'PUT', url: `${api}/models/iris/aliases/prod`, payload: { version: 2 } },
        { principal: principal(), action: 'registry:alias:set', resource: 'alias:iris@prod' },
      );
    });

    it('removing an alias, or editing the model', async () => {
      await denied(
        viewer,
        { method: 'DELETE', url: `${api}/models/iris/aliases/prod` },
        { principal: principal(), action: 'registry:alias:delete', resource: 'alias:iris@prod' },
      );
      await denied(
        viewer,
        { method: 'PATCH', url: `${api}/models/iris`, payload: { description: 'defaced' } },
        { principal: principal(), action: 'registry:model:update', resource: 'model:iris' },
      );
    });

    it('while reading stays allowed', async () => {
      const res = await t.rawApp.inject(
        as(viewer, { method: 'GET', url: `${api}/models/iris/versions/prod` }),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ number: 1 });
    });
  });

  it('every refusal answered the very same body (request ids aside), and the chain is intact', async () => {
    expect(bodies).toHaveLength(10);
    expectSameBodies(bodies);
    await expectIntactChain(t);
  });
});
