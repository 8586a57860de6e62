import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { api, auditPage, bearer, expectIntactChain, issueWorkingToken } from './security-helpers.js';

// Security regressions: a team-scoped administrator stays inside its team. Every admin action (the
// "administer" group of the schema) is tried by an unscoped admin, an admin of the team owning the object,
// and an admin of another team. Global objects (unscoped tokens, trusted signers, the whole audit chain)
// are the unscoped admin's alone; listings show a scoped admin its own teams' objects only.
type Who = 'unscoped' | 'same' | 'other';
const everyone: Who[] = ['unscoped', 'same', 'other'];

interface Row {
  action: string;
  what: string;
  /** Prepares the object (as the unscoped admin) and returns the request to try. */
  request(): Promise<InjectOptions>;
  status: Record<Who, number>;
  /** Checks what a successful answer shows this caller. */
  check?(who: Who, res: LightMyRequestResponse): Promise<void> | void;
}

// Actions with no HTTP route: policy:explain runs in the CLI, against local policy files only.
const cliOnly = new Set(['policy:explain']);
const administerActions = [
  ...readFileSync(new URL('../../policies/warden.cedarschema', import.meta.url), 'utf8').matchAll(
    /action "([^"]+)" in \[[^\]]*"administer"/g,
  ),
].map((m) => m[1] ?? '');

describe('attack: team-scoped administrators reaching past their team, against the full app', () => {
  let t: TestApp;
  const tokens: Record<Who, string> = { unscoped: '', same: '', other: '' };
  let versions = 0;
  let signers = 0;
  let tokenNames = 0;

  beforeAll(async () => {
    t = await createTestApp();
    tokens.unscoped = t.adminToken;
    tokens.same = (
      await issueWorkingToken(t, { name: 'vision-lead', roles: ['admin'], teams: ['vision'] })
    ).token;
    tokens.other = (await issueWorkingToken(t, { name: 'nlp-lead', roles: ['admin'], teams: ['nlp'] })).token;
    await createModel(t, 'vision-net', { owner: 'vision' });
    await createModel(t, 'nlp-bert', { owner: 'nlp' });
    await push(t, 'nlp-bert', { kind: 'directory' }, [{ path: 'w.bin', content: 'nlp weights' }]);
  });
  afterAll(async () => t?.close());

  const as = (who: Who, request: InjectOptions): InjectOptions => ({
    ...request,
    headers: { ...(request.headers ?? {}), authorization: bearer(tokens[who]) },
  });
  const newVersion = async () => {
    const v = await push(t, 'vision-net', { kind: 'directory' }, [
      { path: 'w.bin', content: `vision weights ${++versions}` },
    ]);
    return v.number as number;
  };
  const newToken = async (teams?: string[]) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/tokens`,
      payload: { name: `bot-${++tokenNames}`, roles: ['viewer'], ...(teams ? { teams } : {}) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const newSigner = async () => {
    const name = `signer-${++signers}`;
    const res = await t.app.inject({ method: 'POST', url: `${api}/signers`, payload: signerBody(name) });
    expect(res.statusCode, res.body).toBe(201);
    return name;
  };

  const newWebhook = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/webhooks`,
      payload: { url: 'https://8.8.8.8/hook', events: ['version.pushed'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };

  const rows: Row[] = [
    {
      action: 'registry:version:delete',
      what: "a version of the team's model",
      request: async () => ({
        method: 'DELETE',
        url: `${api}/models/vision-net/versions/${await newVersion()}?reason=cleanup`,
      }),
      status: { unscoped: 200, same: 200, other: 403 },
    },
    {
      action: 'gateway:configure',
      what: "the guard policy of the team's deployment",
      request: async () => ({
        method: 'PUT',
        url: `${api}/environments/production/models/vision-net/guards`,
        payload: { policy: { coarsening: { config: { decimals: 2 } } } },
      }),
      status: { unscoped: 200, same: 200, other: 403 },
    },
    {
      action: 'gateway:alerts:read',
      what: "the extraction alerts of the team's deployment",
      request: async () => ({
        method: 'GET',
        url: `${api}/environments/production/models/vision-net/guards/alerts`,
      }),
      status: { unscoped: 200, same: 200, other: 403 },
    },
    {
      action: 'monitor:configure',
      what: "the monitor policy of the team's deployment",
      request: async () => ({
        method: 'PUT',
        url: `${api}/environments/production/deployments/vision-net/monitor-policy`,
        payload: { policy: { thresholds: { topClassShareMax: 0.95 } }, reason: 'launch week' },
      }),
      status: { unscoped: 200, same: 200, other: 403 },
    },
    {
      action: 'identity:token:create',
      what: "a token of the team's",
      request: async () => ({
        method: 'POST',
        url: `${api}/tokens`,
        payload: { name: `made-${++tokenNames}`, roles: ['viewer'], teams: ['vision'] },
      }),
      status: { unscoped: 201, same: 201, other: 403 },
    },
    {
      action: 'identity:token:create',
      what: 'an unscoped token (a global object)',
      request: async () => ({
        method: 'POST',
        url: `${api}/tokens`,
        payload: { name: `made-${++tokenNames}`, roles: ['viewer'] },
      }),
      status: { unscoped: 201, same: 403, other: 403 },
    },
    {
      action: 'identity:token:revoke',
      what: "a token of the team's",
      request: async () => ({ method: 'DELETE', url: `${api}/tokens/${await newToken(['vision'])}` }),
      status: { unscoped: 204, same: 204, other: 403 },
    },
    {
      action: 'identity:token:revoke',
      what: "a token of the team's and another team's",
      request: async () => ({ method: 'DELETE', url: `${api}/tokens/${await newToken(['nlp', 'vision'])}` }),
      status: { unscoped: 204, same: 403, other: 403 },
    },
    {
      action: 'identity:token:revoke',
      what: 'an unscoped token (the bootstrap admin’s kind)',
      request: async () => ({ method: 'DELETE', url: `${api}/tokens/${await newToken()}` }),
      status: { unscoped: 204, same: 403, other: 403 },
    },
    {
      action: 'identity:token:list',
      what: 'the tokens',
      request: async () => ({ method: 'GET', url: `${api}/tokens` }),
      status: { unscoped: 200, same: 200, other: 200 },
      check: (who, res) => {
        const teams = (res.json() as { teams: string[] }[]).map((tk) => tk.teams);
        if (who === 'unscoped') expect(teams).toContainEqual([]);
        else {
          const own = who === 'same' ? 'vision' : 'nlp';
          expect(teams.length).toBeGreaterThan(0);
          for (const tt of teams) expect(tt).toEqual([own]);
        }
      },
    },
    {
      action: 'signing:signer:create',
      what: 'a trusted signer (global)',
      request: async () => ({
        method: 'POST',
        url: `${api}/signers`,
        payload: signerBody(`added-${++signers}`),
      }),
      status: { unscoped: 201, same: 403, other: 403 },
    },
    {
      action: 'signing:signer:list',
      what: 'the trusted signers (global)',
      request: async () => ({ method: 'GET', url: `${api}/signers` }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'signing:signer:revoke',
      what: 'a trusted signer (global)',
      request: async () => ({ method: 'DELETE', url: `${api}/signers/${await newSigner()}` }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'webhook:create',
      what: 'a webhook endpoint (global: it receives every team’s events)',
      request: async () => ({
        method: 'POST',
        url: `${api}/webhooks`,
        payload: { url: 'https://8.8.8.8/hook', events: ['*'] },
      }),
      status: { unscoped: 201, same: 403, other: 403 },
      check: (_who, res) => expect(res.json().secret).toMatch(/^whsec_/),
    },
    {
      action: 'webhook:list',
      what: 'the webhook endpoints (global)',
      request: async () => ({ method: 'GET', url: `${api}/webhooks` }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'webhook:delete',
      what: 'a webhook endpoint (global)',
      request: async () => ({ method: 'DELETE', url: `${api}/webhooks/${await newWebhook()}` }),
      status: { unscoped: 204, same: 403, other: 403 },
    },
    {
      action: 'webhook:deliveries',
      what: 'the webhook delivery log (global)',
      request: async () => ({ method: 'GET', url: `${api}/webhooks/deliveries` }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'audit:log:read',
      what: 'the audit entries',
      request: async () => ({ method: 'GET', url: `${api}/audit?limit=500` }),
      status: { unscoped: 200, same: 200, other: 200 },
      check: (who, res) => {
        const items = res.json().items as { team?: string; resource: string | null }[];
        if (who === 'unscoped') {
          // Global entries (signers, unscoped tokens) and every team's.
          expect(items.some((e) => e.team === undefined)).toBe(true);
          expect(new Set(items.map((e) => e.team))).toEqual(new Set([undefined, 'vision', 'nlp']));
          return;
        }
        const own = who === 'same' ? 'vision' : 'nlp';
        expect(items.length).toBeGreaterThan(0);
        for (const e of items) expect(e.team, JSON.stringify(e)).toBe(own);
        expect(
          items.some((e) => e.resource === `model:${own === 'vision' ? 'vision-net' : 'nlp-bert'}`),
        ).toBe(true);
      },
    },
    {
      action: 'audit:log:verify',
      what: 'the whole chain (global)',
      request: async () => ({ method: 'GET', url: `${api}/audit/verify` }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'audit:log:export',
      what: 'the whole chain (global)',
      request: async () => ({ method: 'GET', url: `${api}/audit/export` }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'metrics:read',
      what: 'the Prometheus metrics (global: counts across every team)',
      request: async () => ({ method: 'GET', url: '/metrics' }),
      status: { unscoped: 200, same: 403, other: 403 },
    },
    {
      action: 'audit:key:read',
      what: 'the audit public key (public by nature)',
      request: async () => ({ method: 'GET', url: `${api}/audit/pubkey` }),
      status: { unscoped: 200, same: 200, other: 200 },
    },
  ];

  it('covers every administer action of the schema', () => {
    const covered = new Set([...rows.map((r) => r.action), ...cliOnly]);
    expect(administerActions.length).toBeGreaterThan(5);
    for (const action of administerActions) expect(covered, action).toContain(action);
  });

  describe.each(rows)('$action on $what', (row) => {
    it.each(everyone)('by the %s admin', async (who) => {
      const request = await row.request();
      const res = await t.rawApp.inject(as(who, request));
      expect(res.statusCode, `${who}: ${res.body}`).toBe(row.status[who]);
      if (res.statusCode === 403) expect(res.json()).toMatchObject({ code: 'forbidden' });
      else await row.check?.(who, res);
    });
  });

  it('each denial is on the record, attributed to the object’s team where it has one', async () => {
    const denials = (await auditPage(t)).items.filter((e) => e.outcome === 'denied');
    expect(denials.length).toBeGreaterThan(0);
    const signerDenial = denials.find((e) => e.action === 'signing:signer:create');
    expect(signerDenial).not.toHaveProperty('team');
    const versionDenial = denials.find((e) => e.action === 'registry:version:delete');
    expect(versionDenial).toMatchObject({ team: 'vision' });
    await expectIntactChain(t);
  });
});

function signerBody(name: string) {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { name, publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
