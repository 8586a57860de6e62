import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, push } from '../fixtures/http-helpers.js';
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

// Security regressions: a team-scoped token stays inside its team. Reaching another team's model, or issuing
// a token wider than itself, is a 403 with the one generic body, a denial naming the forbidding policy on
// the audit record, and no change. The same token on its own team's model works.
describe("attack: a token from one team reaching another team's model, against the full app", () => {
  let t: TestApp;
  let vision: string;
  let visionAdmin: string;
  // A token authenticates as itself ("token:<id>"), never as its name.
  let visionId: string;
  let visionAdminId: string;
  const bodies: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris');
    await createModel(t, 'vision-net', { owner: 'vision' });
    await createModel(t, 'nlp-bert', { owner: 'nlp' });
    for (const name of ['vision-net', 'nlp-bert']) {
      await push(t, name, { kind: 'directory', aliases: ['prod'] }, [
        { path: 'weights.bin', content: `${name} v1` },
      ]);
      await push(t, name, { kind: 'directory' }, [{ path: 'weights.bin', content: `${name} v2` }]);
    }
    const ci = await issueWorkingToken(t, { name: 'vision-ci', roles: ['contributor'], teams: ['vision'] });
    const lead = await issueWorkingToken(t, { name: 'vision-lead', roles: ['admin'], teams: ['vision'] });
    [vision, visionId, visionAdmin, visionAdminId] = [
      ci.token,
      `token:${ci.id}`,
      lead.token,
      `token:${lead.id}`,
    ];
  });
  afterAll(async () => t?.close());

  const as = (token: string, request: InjectOptions): InjectOptions => ({
    ...request,
    headers: { ...(request.headers ?? {}), authorization: bearer(token) },
  });
  const denied = async (
    token: string,
    request: InjectOptions,
    expected: { principal: string; action: string; resource: string; policy: string },
  ) => {
    const a = await attempt(t, as(token, request), 403, token);
    expectDenialEntry(a, expected.principal, expected.action, expected.resource);
    expect(a.entry.details).toMatchObject({ policies: expected.policy });
    bodies.push(a.body);
    return a;
  };

  describe("a vision contributor on the nlp team's model", () => {
    const scoped = (action: string, resource: string) => ({
      principal: visionId,
      action,
      resource,
      policy: 'team-scope',
    });

    it('reading it', async () => {
      const a = await denied(
        vision,
        { method: 'GET', url: `${api}/models/nlp-bert` },
        scoped('registry:model:read', 'model:nlp-bert'),
      );
      expect(a.entry.requestId).toBe(a.res.headers['x-request-id']);
    });

    it('downloading one of its files', async () => {
      await denied(
        vision,
        { method: 'GET', url: `${api}/models/nlp-bert/versions/prod/files/weights.bin` },
        scoped('registry:artifact:read', 'version:nlp-bert@1'),
      );
    });

    it('pushing a version to it', async () => {
      const a = await denied(
        vision,
        pushAs(bearer(vision), 'nlp-bert', [{ path: 'weights.bin', content: 'poisoned weights' }]),
        scoped('registry:version:push', 'model:nlp-bert'),
      );
      expect(a.entry.requestId).toBe(a.res.headers['x-request-id']);
    });

    it('moving its alias', async () => {
      await denied(
        vision,
        { method: 'PUT', url: `${api}/models/nlp-bert/aliases/prod`, payload: { version: 2 } },
        scoped('registry:alias:set', 'alias:nlp-bert@prod'),
      );
    });

    it('creating a model in the nlp team’s name', async () => {
      await denied(
        vision,
        { method: 'POST', url: `${api}/models`, payload: { name: 'hijack', owner: 'nlp' } },
        scoped('registry:model:create', 'model:hijack'),
      );
    });

    it('lists only its own team’s models', async () => {
      const res = await t.rawApp.inject(as(vision, { method: 'GET', url: `${api}/models` }));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().items.map((m: { name: string }) => m.name)).toEqual(['vision-net']);
    });

    it('while on its own team’s model it reads, pushes and moves the alias', async () => {
      const read = await t.rawApp.inject(as(vision, { method: 'GET', url: `${api}/models/vision-net` }));
      expect(read.statusCode, read.body).toBe(200);
      const pushed = await t.rawApp.inject(
        pushAs(bearer(vision), 'vision-net', [{ path: 'weights.bin', content: 'vision-net v3' }]),
      );
      expect(pushed.statusCode, pushed.body).toBe(201);
      expect(pushed.json()).toMatchObject({ number: 3, createdBy: visionId });
      const moved = await t.rawApp.inject(
        as(vision, { method: 'PUT', url: `${api}/models/vision-net/aliases/prod`, payload: { version: 3 } }),
      );
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toMatchObject({ changed: true, previous: 1 });
    });
  });

  describe('a vision admin issuing tokens', () => {
    const issue = (payload: Record<string, unknown>): InjectOptions => ({
      method: 'POST',
      url: `${api}/tokens`,
      payload,
    });
    const scoped = (resource: string) => ({
      principal: visionAdminId,
      action: 'identity:token:create',
      resource,
      policy: 'token-scope',
    });

    it('cannot issue an unscoped token', async () => {
      await denied(
        visionAdmin,
        issue({ name: 'escalate', roles: ['admin'] }),
        scoped('token:(new for service:escalate)'),
      );
    });

    it('cannot issue a token for another team, or for its team and another', async () => {
      await denied(
        visionAdmin,
        issue({ name: 'nlp-bot', roles: ['viewer'], teams: ['nlp'] }),
        scoped('token:(new for service:nlp-bot)'),
      );
      await denied(
        visionAdmin,
        issue({ name: 'both-bot', roles: ['viewer'], teams: ['vision', 'nlp'] }),
        scoped('token:(new for service:both-bot)'),
      );
    });

    it("cannot reach the nlp team's model with its admin role either", async () => {
      await denied(
        visionAdmin,
        { method: 'PUT', url: `${api}/models/nlp-bert/aliases/prod`, payload: { version: 2 } },
        {
          principal: visionAdminId,
          action: 'registry:alias:set',
          resource: 'alias:nlp-bert@prod',
          policy: 'team-scope',
        },
      );
    });

    it('may issue a token scoped to its own team', async () => {
      const res = await t.rawApp.inject(
        as(visionAdmin, issue({ name: 'vision-viewer', roles: ['viewer'], teams: ['vision'] })),
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ principal: 'service:vision-viewer', teams: ['vision'] });
    });
  });

  it('every refusal answered the very same body (request ids aside), and the chain is intact', async () => {
    expect(bodies).toHaveLength(9);
    expectSameBodies(bodies);
    const nlp = await t.app.inject({ method: 'GET', url: `${api}/models/nlp-bert/versions/prod` });
    expect(nlp.json()).toMatchObject({ number: 1 });
    await expectIntactChain(t);
  });
});
