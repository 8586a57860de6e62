import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { expectProblem, type PushFile, snapshotStore } from '../fixtures/http-helpers.js';
import { multipartBody, type TestApp } from '../fixtures/test-app.js';

export const api = '/api/v1';
export const bearer = (token: string) => `Bearer ${token}`;

export interface AuditEntryView {
  seq: number;
  action: string;
  outcome: 'success' | 'denied' | 'failed';
  principal: string | null;
  resource: string | null;
  requestId: string | null;
  clientAddress: string | null;
  actorName?: string;
  credential?: Record<string, string | null>;
  team?: string;
  details?: Record<string, string | number | boolean | null>;
}

// Every reason the authenticator can give. They belong in the audit log, never in an answer.
const failureReasons = [
  'missing_credentials',
  'unsupported_scheme',
  'malformed_credentials',
  'unknown_token',
  'secret_mismatch',
  'token_revoked',
  'token_expired',
  'oidc_not_configured',
  'jwt_malformed',
  'jwt_algorithm_not_allowed',
  'jwt_unknown_key',
  'jwt_bad_signature',
  'jwt_expired',
  'jwt_not_yet_valid',
  'jwt_wrong_issuer',
  'jwt_wrong_audience',
  'jwt_missing_claim',
  'jwt_teams_required',
  'jwt_invalid',
  'jwks_unavailable',
];
// Read from the shipped policies, so a policy added later is covered without touching this list.
const policyIds = [
  ...readFileSync(new URL('../../policies/roles.cedar', import.meta.url), 'utf8').matchAll(
    /@id\("([^"]+)"\)/g,
  ),
].map((m) => m[1] ?? '');

/** A problem body with its request id left out: what must be identical across refusals of one kind. */
export const withoutRequestId = (body: Record<string, unknown>) => {
  const { requestId: _, ...rest } = body;
  return rest;
};

/**
 * Asserts a refusal: 401 `unauthenticated` (with a Bearer challenge) or 403 `forbidden`, a problem body with
 * the standard fields only, and nothing that helps an attacker: not the credential presented, no failure
 * reason, no policy id. Returns the parsed body.
 */
export function expectRefusal(
  t: TestApp,
  res: LightMyRequestResponse,
  status: 401 | 403,
  presented?: string,
): Record<string, unknown> {
  const body = expectProblem(res, status, status === 401 ? 'unauthenticated' : 'forbidden', t);
  expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'requestId', 'status', 'title', 'type']);
  if (status === 401) {
    expect(res.headers['www-authenticate']).toBe('Bearer realm="warden"');
    expect(res.headers['cache-control']).toBe('no-store');
  } else {
    expect(res.headers['www-authenticate']).toBeUndefined();
  }
  const everything = `${res.body}\n${JSON.stringify(res.headers)}`;
  if (presented) expect(everything).not.toContain(presented);
  for (const secret of [...failureReasons, ...policyIds, 'policies', 'policy', t.adminToken]) {
    expect(everything).not.toContain(secret);
  }
  return body;
}

/** GET /api/v1/audit as the admin (reads are not audited, so looking changes nothing). */
export async function auditPage(t: TestApp, query: Record<string, string | number> = {}) {
  const qs = new URLSearchParams(
    Object.entries({ limit: 500, ...query }).map(([k, v]): [string, string] => [k, String(v)]),
  );
  const res = await t.app.inject({ method: 'GET', url: `${api}/audit?${qs}` });
  expect(res.statusCode, res.body).toBe(200);
  return { items: res.json().items as AuditEntryView[], text: res.body };
}

export async function auditHead(t: TestApp): Promise<number> {
  return (await auditPage(t, { limit: 1 })).items[0]?.seq ?? 0;
}

/** The one entry recorded for a request, found by action and the request id the response carried. */
export async function auditEntryOf(t: TestApp, action: string, res: LightMyRequestResponse) {
  const requestId = String(res.headers['x-request-id']);
  const matches = (await auditPage(t, { action })).items.filter((e) => e.requestId === requestId);
  expect(matches, `${action} entries for request ${requestId}`).toHaveLength(1);
  return matches[0] as AuditEntryView;
}

/** Everything a refused request must leave alone: models, versions, aliases, blobs, staging and tokens. */
export async function registryState(t: TestApp) {
  const tokens = await t.app.inject({ method: 'GET', url: `${api}/tokens` });
  expect(tokens.statusCode, tokens.body).toBe(200);
  return { store: await snapshotStore(t), tokens: tokens.json() as unknown };
}

export interface Attempt {
  res: LightMyRequestResponse;
  /** The single audit entry the request added. */
  entry: AuditEntryView;
  body: Record<string, unknown>;
}

/**
 * Sends one hostile request (with exactly the headers given: no default credential) and asserts the four
 * things every refusal owes: the status and generic body, exactly one new audit entry that never holds the
 * presented credential, and no change to the registry or the tokens.
 */
export async function attempt(
  t: TestApp,
  request: InjectOptions,
  status: 401 | 403,
  presented?: string,
): Promise<Attempt> {
  const before = await registryState(t);
  const head = await auditHead(t);
  const res = await t.rawApp.inject(request);
  const body = expectRefusal(t, res, status, presented);
  expect(await registryState(t)).toEqual(before);
  // Failed authentications are audited in aggregate, at the end of each interval: end this one now.
  if (status === 401) expect(await auditPage(t, { order: 'asc', after: head })).toMatchObject({ items: [] });
  await t.container.authFailureLog.flush();
  const added = await auditPage(t, { order: 'asc', after: head });
  expect(added.items, 'one audit entry per refusal').toHaveLength(1);
  const whole = (await auditPage(t)).text;
  if (presented) expect(whole).not.toContain(presented);
  expect(whole).not.toContain(t.adminToken);
  return { res, body, entry: added.items[0] as AuditEntryView };
}

/**
 * The audit record of a refused authentication: no principal, the precise reason and a count (one per
 * address and reason per interval; the route is not recorded, as an aggregate spans many).
 */
export function expectAuthFailureEntry(a: Attempt, reason: string) {
  expect(a.entry).toMatchObject({
    action: 'identity:token:authenticate',
    outcome: 'failed',
    principal: null,
    resource: null,
    requestId: a.res.headers['x-request-id'],
    clientAddress: '127.0.0.1',
    details: { reason, count: 1 },
  });
}

/** The audit record of a policy denial: who, what, on which resource. */
export function expectDenialEntry(a: Attempt, principal: string, action: string, resource: string) {
  expect(a.entry).toMatchObject({ action, outcome: 'denied', principal, resource });
}

/** Asserts every refusal of one kind answered the very same body, request ids aside. */
export function expectSameBodies(bodies: Record<string, unknown>[]) {
  expect(bodies.length).toBeGreaterThan(1);
  const [first, ...rest] = bodies.map(withoutRequestId);
  for (const b of rest) expect(b).toEqual(first);
  expect(new Set(bodies.map((b) => b.requestId)).size).toBe(bodies.length);
}

/** The chain verifies and its sequence numbers run 1, 2, 3… with no gap. */
export async function expectIntactChain(t: TestApp) {
  const verify = await t.app.inject({ method: 'GET', url: `${api}/audit/verify` });
  expect(verify.statusCode, verify.body).toBe(200);
  const report = verify.json();
  expect(report).toMatchObject({ ok: true, firstBad: null, checkpointProblems: [] });
  const { items } = await auditPage(t, { order: 'asc' });
  expect(items.length).toBeGreaterThan(0);
  expect(items.map((e) => e.seq)).toEqual(items.map((_, i) => i + 1));
  expect(report.head.seq).toBe(items.length);
}

/** A push request as `authorization` would send it (pushRaw always sends the admin's). */
export function pushAs(authorization: string | undefined, model: string, files: PushFile[], metadata = {}) {
  const { body, contentType } = multipartBody({ kind: 'directory', ...metadata }, files);
  return {
    method: 'POST' as const,
    url: `${api}/models/${model}/versions`,
    payload: body,
    headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
  };
}

/** Issues a token through the app and uses it once, so it is known to work (and its last use is settled). */
export async function issueWorkingToken(
  t: TestApp,
  input: { name: string; roles: string[]; teams?: string[] },
): Promise<{ token: string; id: string }> {
  const token = await t.tokenFor(input);
  const who = await t.rawApp.inject({
    method: 'GET',
    url: `${api}/whoami`,
    headers: { authorization: bearer(token) },
  });
  expect(who.statusCode, who.body).toBe(200);
  return { token, id: token.split('_')[1] ?? '' };
}

/** Moves a token's expiry into the past, directly in the database: the server's clock cannot be wound on. */
export async function expireInDatabase(t: TestApp, tokenId: string) {
  const database = t.db.open();
  try {
    const past = new Date(Date.now() - 60_000).toISOString();
    const updated = await sql`update api_tokens set expires_at = ${past} where id = ${tokenId}`.execute(
      database.db,
    );
    expect(Number(updated.numAffectedRows)).toBe(1);
  } finally {
    await database.close();
  }
}

export type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
export interface TestKey {
  kid: string;
  alg: string;
  pair: KeyPair;
  jwk: JWK;
}

export async function makeKey(alg: string, kid: string): Promise<TestKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, pair, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
}

/** A real JWKS endpoint on loopback publishing the given keys. */
export async function serveJwks(keys: TestKey[]) {
  const server = http.createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface JwtClaims {
  issuer: string;
  audience: string;
}

/** A JWT signed by `key`, valid for five minutes unless the payload says otherwise. */
export async function signJwt(
  key: TestKey,
  claims: JwtClaims,
  payload: JWTPayload = {},
  header: Record<string, unknown> = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: claims.issuer,
    aud: claims.audience,
    sub: 'alice-123',
    iat: now,
    exp: now + 300,
    ...payload,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.pair.privateKey);
}
