import type { InjectOptions } from 'fastify';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, bearer, makeKey, serveJwks, signJwt, type TestKey } from './security-helpers.js';

// Security regressions: identity fails closed. A genuine OIDC token whose teams claim is missing, of the
// wrong type or malformed used to be unscoped (every team's models); now it has no teams and reaches no
// team-owned model, or is refused where `oidc.requireTeams` is set. Unscoped comes only from a claim value
// the configuration names.
const claims = { issuer: 'https://idp.test', audience: 'warden' };

/** Every shape a teams claim can take, and the teams it must yield (null: malformed, no teams). */
const shapes: [string, JWTPayload, string[]][] = [
  ['missing', {}, []],
  ['null', { groups: null }, []],
  ['a number', { groups: 42 }, []],
  ['a boolean', { groups: true }, []],
  ['an object', { groups: { vision: true } }, []],
  ['an array holding a number', { groups: ['vision', 7] }, []],
  ['an array holding null', { groups: ['vision', null] }, []],
  ['an array holding an object', { groups: ['vision', { team: 'nlp' }] }, []],
  ['an array holding an array', { groups: [['vision']] }, []],
  ['an empty array', { groups: [] }, []],
  ['an empty string', { groups: '' }, []],
  ['a comma-separated string (not a list separator)', { groups: 'vision,nlp' }, []],
  ['a space-separated string', { groups: 'vision  nlp' }, ['nlp', 'vision']],
  ['an array of teams, repeated', { groups: ['vision', 'nlp', 'vision'] }, ['nlp', 'vision']],
  ['other applications’ group names beside a team', { groups: ['/Eng/ML', 'Vision', 'vision'] }, ['vision']],
  ['a huge array (over 100 values)', { groups: Array.from({ length: 101 }, (_, i) => `team-${i}`) }, []],
  ['a very long string value', { groups: ['vision', 'x'.repeat(5000)] }, []],
  ['a very long space-separated string', { groups: `vision ${'a'.repeat(70)}` }, ['vision']],
  ['the unscoped value under another claim', { other: ['all-teams'] }, []],
];

describe('attack: malformed OIDC teams claims, against the full app', () => {
  let t: TestApp;
  let strict: TestApp;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let key: TestKey;

  beforeAll(async () => {
    key = await makeKey('ES256', 'ec-1');
    jwks = await serveJwks([key]);
    const oidc = { ...claims, jwksUrl: jwks.url, rolesClaim: 'warden_roles' };
    t = await createTestApp({
      oidc: {
        ...oidc,
        teamsClaim: 'groups',
        unscopedTeam: 'all-teams',
        unscopedRoles: ['warden-everything'],
      },
    });
    strict = await createTestApp({ oidc: { ...oidc, teamsClaim: 'org.teams', requireTeams: true } });
    for (const app of [t, strict]) {
      await createModel(app, 'vision-net', { owner: 'vision' });
      await createModel(app, 'nlp-bert', { owner: 'nlp' });
    }
  });
  afterAll(async () => {
    await t?.close();
    await strict?.close();
    await jwks?.stop();
  });

  const as = (jwt: string, request: InjectOptions): InjectOptions => ({
    ...request,
    headers: { authorization: bearer(jwt) },
  });
  const jwtWith = (payload: JWTPayload) => signJwt(key, claims, { warden_roles: ['admin'], ...payload });
  const whoami = { method: 'GET' as const, url: `${api}/whoami` };
  const models = { method: 'GET' as const, url: `${api}/models` };

  describe('without requireTeams: a claim that names no team reaches no team’s model', () => {
    for (const [shape, payload, teams] of shapes) {
      it(`teams claim ${shape}`, async () => {
        const jwt = await jwtWith(payload);
        const who = await t.rawApp.inject(as(jwt, whoami));
        expect(who.statusCode, who.body).toBe(200);
        expect(who.json()).toMatchObject({ id: 'oidc:https://idp.test#alice-123', teams, unscoped: false });
        const listed = await t.rawApp.inject(as(jwt, models));
        const names = listed.json().items.map((m: { name: string }) => m.name);
        const reachable = [
          ...(teams.includes('nlp') ? ['nlp-bert'] : []),
          ...(teams.includes('vision') ? ['vision-net'] : []),
        ];
        expect(names).toEqual(reachable);
        const nlp = await t.rawApp.inject(as(jwt, { method: 'GET', url: `${api}/models/nlp-bert` }));
        expect(nlp.statusCode, nlp.body).toBe(teams.includes('nlp') ? 200 : 403);
        // An admin with no teams is an admin of nothing: no token of any scope either.
        const issued = await t.rawApp.inject(
          as(jwt, { method: 'POST', url: `${api}/tokens`, payload: { name: 'escalate', roles: ['admin'] } }),
        );
        expect(issued.statusCode, issued.body).toBe(403);
      });
    }

    it('the configured unscoped teams value makes the principal unscoped, and is no team itself', async () => {
      const jwt = await jwtWith({ groups: ['vision', 'all-teams'] });
      expect((await t.rawApp.inject(as(jwt, whoami))).json()).toMatchObject({ teams: [], unscoped: true });
      const names = (await t.rawApp.inject(as(jwt, models)))
        .json()
        .items.map((m: { name: string }) => m.name);
      expect(names).toEqual(['nlp-bert', 'vision-net']);
    });

    it('the configured unscoped roles value makes the principal unscoped', async () => {
      const jwt = await jwtWith({ warden_roles: ['viewer', 'warden-everything'] });
      expect((await t.rawApp.inject(as(jwt, whoami))).json()).toMatchObject({
        roles: ['viewer'],
        unscoped: true,
      });
    });

    it('a role named like the unscoped value in the teams claim, or a team named like a role, grants nothing', async () => {
      const jwt = await jwtWith({ warden_roles: ['viewer', 'all-teams'], groups: ['warden-everything'] });
      expect((await t.rawApp.inject(as(jwt, whoami))).json()).toMatchObject({
        teams: ['warden-everything'],
        unscoped: false,
      });
    });
  });

  describe('with requireTeams (nested claim org.teams): a token naming no team is refused', () => {
    const nested: [string, JWTPayload][] = [
      ['missing', {}],
      ['a parent that is a string', { org: 'vision' }],
      ['a parent that is an array', { org: [{ teams: ['vision'] }] }],
      ['null', { org: { teams: null } }],
      ['an object', { org: { teams: { vision: 1 } } }],
      ['an array holding a number', { org: { teams: ['vision', 1] } }],
      ['an empty array', { org: { teams: [] } }],
      ['only other applications’ groups', { org: { teams: ['/Eng/ML'] } }],
      ['a huge array', { org: { teams: Array.from({ length: 500 }, () => 'vision') } }],
      ['the flat claim name instead of the nested path', { 'org.teams': ['vision'] }],
    ];
    for (const [shape, payload] of nested) {
      it(`teams claim ${shape}: 401 oidc_teams_required, nothing read`, async () => {
        const jwt = await jwtWith(payload);
        const res = await strict.rawApp.inject(as(jwt, models));
        const body = expectProblem(res, 401, 'oidc_teams_required', strict);
        expect(res.body).not.toContain(jwt);
        expect(body.detail).toMatch(/names no team/);
      });
    }

    it('a nested claim naming a team is accepted, scoped to it', async () => {
      const jwt = await jwtWith({ org: { teams: ['vision'] } });
      const names = (await strict.rawApp.inject(as(jwt, models)))
        .json()
        .items.map((m: { name: string }) => m.name);
      expect(names).toEqual(['vision-net']);
    });
  });
});
