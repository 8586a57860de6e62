import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyFile } from '../../src/adapters/local/audit-key.js';
import { createModel, expectProblem } from '../fixtures/http-helpers.js';
import { createTestApp, multipartBody, type TestApp } from '../fixtures/test-app.js';

/** Every 12-character stretch of a secret: a log line holding any of them holds too much of it. */
function windowsOf(secret: string, width = 12): string[] {
  if (secret.length <= width) return [secret];
  return Array.from({ length: secret.length - width + 1 }, (_, i) => secret.slice(i, i + width));
}

/** The part of a Warden token that is secret: its id (`wdn_<id>_`) is listed by `token list` and audited. */
const secretOfToken = (token: string) => token.slice(token.lastIndexOf('_') + 1);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('no log line carries a secret', () => {
  let t: TestApp;
  const lines: string[] = [];
  const secrets = new Map<string, string>();
  const masterKey = randomBytes(32).toString('base64');

  beforeAll(async () => {
    const sink = new PassThrough();
    sink.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    t = await createTestApp({
      logTo: sink,
      masterKey,
      // Nothing listens there: JWTs are refused, and the test only cares what their refusal logs.
      oidc: { issuer: 'https://idp.test', audience: 'warden', jwksUrl: 'http://127.0.0.1:1/jwks' },
    });
    secrets.set('bootstrap admin token', t.adminToken);
    secrets.set('master key', masterKey);
    const pem = readFileSync(path.join(t.db.dataDir, auditKeyFile), 'utf8');
    secrets.set('audit signing key', pem.replace(/-----[A-Z ]+-----|\s/g, ''));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('during bootstrap, token issue, push, pull, refused credentials and credentials in URLs', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'ci-bot', roles: ['contributor'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ciToken = created.json().token as string;
    secrets.set('issued token', ciToken);
    const as = (token: string) => ({ authorization: `Bearer ${token}` });

    await createModel(t, 'iris');
    const upload = multipartBody({ kind: 'file' }, [{ path: 'model.bin', content: 'weights' }]);
    const pushed = await t.rawApp.inject({
      method: 'POST',
      url: '/api/v1/models/iris/versions',
      payload: upload.body,
      headers: { 'content-type': upload.contentType, ...as(ciToken) },
    });
    expect(pushed.statusCode, pushed.body).toBe(201);
    const pulled = await t.rawApp.inject({
      method: 'GET',
      url: '/api/v1/models/iris/versions/1/files/model.bin',
      headers: as(ciToken),
    });
    expect(pulled.statusCode, pulled.body).toBe(200);

    // Refused credentials: a right-looking token with a wrong secret, a JWT nobody trusts, basic auth.
    const wrong = `${ciToken.slice(0, ciToken.lastIndexOf('_') + 1)}${'x'.repeat(secretOfToken(ciToken).length)}`;
    secrets.set('wrong token', wrong);
    const jwt = `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ sub: 'mallory', iss: 'https://idp.test', aud: 'warden' })}.${randomBytes(64).toString('base64url')}`;
    secrets.set('forged JWT', jwt);
    const basic = Buffer.from('operator:correct-horse-battery-staple').toString('base64');
    secrets.set('basic password', 'correct-horse-battery-staple');
    const cookie = randomBytes(24).toString('hex');
    secrets.set('session cookie', cookie);
    for (const authorization of [`Bearer ${wrong}`, `Bearer ${jwt}`, `Basic ${basic}`]) {
      const res = await t.rawApp.inject({
        method: 'GET',
        url: '/api/v1/models',
        headers: { authorization, cookie: `session=${cookie}` },
      });
      expect(res.statusCode).toBe(401);
    }

    // Credentials in the query string: refused, on every route, in any spelling, the value never echoed.
    const inQuery = `${secretOfToken(ciToken)}`;
    const queries = [
      `/api/v1/models?token=${ciToken}`,
      `/api/v1/models?limit=5&Access_Token=${inQuery}`,
      `/api/v1/models?%74oken=${inQuery}`,
      `/no/such/route?api_key=${inQuery}`,
      `/health?APIKEY=${inQuery}`,
      `/api/v1/whoami?password=${inQuery}&secret=x`,
      `/api/v1/models?jwt=${jwt}`,
      `/api/v1/models?auth[]=${inQuery}`,
    ];
    for (const url of queries) {
      const res = await t.rawApp.inject({ method: 'GET', url, headers: as(ciToken) });
      expectProblem(res, 400, 'credentials_in_query');
      expect(res.body).not.toContain(inQuery);
      expect(res.body).not.toContain(ciToken);
    }
    // Refused before authentication: without any header it is a 400, not a 401 — the token is never tried.
    expectProblem(
      await t.rawApp.inject({ method: 'GET', url: `/api/v1/models?token=${wrong}` }),
      400,
      'credentials_in_query',
    );
    // Signature-bearing parameters (presigned URLs) are not credentials to refuse, but are never logged.
    const signature = randomBytes(32).toString('hex');
    secrets.set('presigned signature', signature);
    await t.rawApp.inject({
      method: 'GET',
      url: `/api/v1/models?X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=${signature}&sig=${signature}`,
      headers: as(ciToken),
    });

    // The requests were logged (with their URLs, minus the values), so the check below is not vacuous.
    const incoming = lines.filter((l) => l.includes('"incoming request"'));
    expect(incoming.length).toBeGreaterThan(10);

    const leaks: string[] = [];
    for (const [what, secret] of secrets) {
      const material = what.endsWith('token') ? secretOfToken(secret) : secret;
      for (const piece of [secret, ...windowsOf(material)]) {
        const line = lines.find((l) => l.includes(piece));
        if (line) {
          leaks.push(`${what} (${piece}) in: ${line}`);
          break;
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(lines.some((l) => l.includes('/api/v1/models?limit=5&Access_Token=[redacted]'))).toBe(true);
    expect(lines.some((l) => l.includes('X-Amz-Signature=[redacted]'))).toBe(true);
  });
});
