import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The console's cookies. Over TLS (request.protocol, which honours trustProxy) they carry the `__Host-`
 * prefix, so the browser keeps them to this exact host, path / and Secure; over plain http (development)
 * the bare name. Each request reads only the name its own scheme uses: an https request never takes a
 * cookie a plain-http page could have set.
 */
const sessionName = { tls: '__Host-warden_session', plain: 'warden_session' } as const;
const loginName = { tls: '__Host-warden_login', plain: 'warden_login' } as const;

const overTls = (request: FastifyRequest) => request.protocol === 'https';

/**
 * @fastify/cookie for parsing and serializing only (no hook): cookies are read where authentication
 * needs them, so the inference routes, which never take a session, parse none.
 */
export async function registerConsoleCookies(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCookie, { hook: false });
}

function read(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header === '') return undefined;
  const value = request.server.parseCookie(header)[name];
  return value === undefined || value === '' ? undefined : value;
}

function serialize(
  request: FastifyRequest,
  name: string,
  value: string,
  options: { sameSite: 'strict' | 'lax'; maxAgeSeconds: number | null },
): string {
  return request.server.serializeCookie(name, value, {
    httpOnly: true,
    sameSite: options.sameSite,
    path: '/',
    secure: overTls(request),
    ...(options.maxAgeSeconds === null
      ? {}
      : { maxAge: options.maxAgeSeconds, expires: new Date(Date.now() + options.maxAgeSeconds * 1000) }),
  });
}

const cleared = (request: FastifyRequest, name: string, sameSite: 'strict' | 'lax') =>
  request.server.serializeCookie(name, '', {
    httpOnly: true,
    sameSite,
    path: '/',
    secure: overTls(request),
    maxAge: 0,
    expires: new Date(0),
  });

/** The session cookie's value, if the request carries one under its scheme's name. */
export const readSessionCookie = (request: FastifyRequest): string | undefined =>
  read(request, overTls(request) ? sessionName.tls : sessionName.plain);

/**
 * The Set-Cookie header of a new session: HttpOnly, SameSite=Strict, Path=/, Secure over TLS. A browser
 * session cookie (no Max-Age): the server's idle and absolute expiry decide how long it is good for.
 */
export const sessionCookieHeader = (request: FastifyRequest, value: string): string =>
  serialize(request, overTls(request) ? sessionName.tls : sessionName.plain, value, {
    sameSite: 'strict',
    maxAgeSeconds: null,
  });

/** The Set-Cookie header that removes the session cookie. */
export const clearedSessionCookieHeader = (request: FastifyRequest): string =>
  cleared(request, overTls(request) ? sessionName.tls : sessionName.plain, 'strict');

/** The browser binding of a pending OIDC sign-in, if the request carries it. */
export const readLoginCookie = (request: FastifyRequest): string | undefined =>
  read(request, overTls(request) ? loginName.tls : loginName.plain);

/**
 * Binds a pending OIDC sign-in to this browser: SameSite=Lax, because the callback arrives as a top-level
 * navigation from the issuer's site, which a Strict cookie would not accompany.
 */
export function setLoginCookie(reply: FastifyReply, value: string, maxAgeSeconds: number): void {
  const { request } = reply;
  reply.header(
    'set-cookie',
    serialize(request, overTls(request) ? loginName.tls : loginName.plain, value, {
      sameSite: 'lax',
      maxAgeSeconds,
    }),
  );
}

export function clearLoginCookie(reply: FastifyReply): void {
  const { request } = reply;
  reply.header('set-cookie', cleared(request, overTls(request) ? loginName.tls : loginName.plain, 'lax'));
}
