import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../fixtures/test-app.js';

export const api = '/api/v1';

/** The value a Set-Cookie header list gives `name` (empty when it clears it), or undefined. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string | undefined {
  for (const line of [setCookie ?? []].flat()) {
    const [pair = ''] = line.split(';');
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return undefined;
}

/** A console session as a test holds it: the cookie's value and what the server answered. */
export interface HeldSession {
  cookie: string;
  csrfToken: string;
  sessionId: string;
  body: Record<string, unknown>;
}

/** Signs in with an API token (POST /api/v1/session), as a browser on `remoteAddress` would. */
export function postSession(
  t: TestApp,
  token: string,
  extra: { remoteAddress?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return t.rawApp.inject({
    method: 'POST',
    url: `${api}/session`,
    payload: { token },
    ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
    headers: extra.headers ?? {},
  });
}

/** A sign-in that must succeed. */
export async function signInWithToken(t: TestApp, token: string): Promise<HeldSession> {
  const res = await postSession(t, token);
  expect(res.statusCode, res.body).toBe(201);
  const cookie = cookieFrom(res.headers['set-cookie'], 'warden_session');
  expect(cookie).toBeTruthy();
  const body = res.json();
  return { cookie: cookie as string, csrfToken: body.csrfToken, sessionId: body.sessionId, body };
}

/**
 * A request on a session: the cookie, and the CSRF header unless `csrf` is false (or another value).
 * Never an Authorization header (rawApp sends none by default).
 */
export function onSession(
  t: TestApp,
  session: Pick<HeldSession, 'cookie' | 'csrfToken'>,
  options: Omit<InjectOptions, 'headers'> & { headers?: Record<string, string>; csrf?: string | false },
): Promise<LightMyRequestResponse> {
  const { csrf, headers, ...rest } = options;
  const token = csrf === undefined ? session.csrfToken : csrf;
  return t.rawApp.inject({
    ...rest,
    headers: {
      cookie: `warden_session=${session.cookie}`,
      ...(token === false ? {} : { 'x-warden-csrf': token }),
      ...headers,
    },
  });
}
