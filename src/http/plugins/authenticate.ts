import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  authRateLimited,
  csrfFailed,
  oidcTeamsRequired,
  unauthenticated,
} from '../../modules/identity/identity.errors.js';
import {
  type AuthFailureLimiter,
  type AuthFailureReason,
  type AuthRefusal,
  type AuthResult,
  clientAddressKey,
  type Principal,
  type SessionAuthResult,
  type SessionView,
} from '../../modules/identity/index.js';
import type { AppError } from '../../platform/errors.js';
import { clearedSessionCookieHeader, readSessionCookie } from './console-cookies.js';
import { csrfPasses } from './csrf.js';
import { sendProblem } from './error-handler.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates in its own plugin scope (checkCredentials), answering in its own shape. */
    ownAuthentication?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; set by the authentication hook on every non-public route. */
    principal?: Principal;
    /** The console session the request came on, when it authenticated by its session cookie. */
    consoleSession?: SessionView;
  }
}

export interface AuthFailure {
  reason: AuthRefusal;
  requestId: string;
  clientAddress: string;
}

export interface AuthenticationOptions {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
  /** Counts failures per client address; a blocked address is refused before its credentials are read. */
  limiter: AuthFailureLimiter;
  /** Notes a refused request (aggregated into the audit log later, counted in the metrics now). */
  onFailure(info: AuthFailure): void;
  /**
   * Console sessions (the control plane's routes only): a request with no Authorization header may
   * authenticate by its session cookie; one with the header is never looked at for a cookie.
   */
  sessions?: { authenticate(cookie: string): Promise<SessionAuthResult> };
  /** Route URL prefixes a third-party plugin serves without an action (the API docs), left public. */
  publicPrefixes?: string[];
}

/**
 * Authenticates every request before anything else runs, except routes that declare the action "public".
 * A request that matches no route is answered 404 without reading credentials or writing anything: the
 * route list is public (the OpenAPI document), and a probe of made-up paths must cost no database write.
 * Every failure answers the same 401 body (only the request id differs) and changes nothing. An address
 * that fails too often is refused (429) for every request until its block ends, valid credentials
 * included, so it cannot keep guessing; a refusal is noted for the aggregated audit entry, not written
 * one by one.
 */
export function registerAuthentication(app: FastifyInstance, options: AuthenticationOptions): void {
  const publicPrefixes = options.publicPrefixes ?? [];
  app.decorateRequest('principal', undefined);
  app.decorateRequest('consoleSession', undefined);
  // A callback hook, so that routes needing no check here (public ones, the inference API's) cost no
  // promise; a refusal answers and does not call `done`.
  app.addHook('onRequest', (request, reply, done) => {
    // The route's pattern, not the raw URL: "/docs/../api/v1/…" cannot pass for a docs page.
    const route = request.routeOptions.url;
    if (route === undefined) return done();
    const action = request.routeOptions.config?.action ?? null;
    if (action === 'public') return done();
    // Routes with their own answer shape (the inference API) authenticate in their own scope, the same way.
    if (request.routeOptions.config?.ownAuthentication === true) return done();
    if (action === null && publicPrefixes.some((p) => route === p || route.startsWith(`${p}/`)))
      return done();
    checkCredentials(request, options).then((refusal) => {
      if (refusal === null) return done();
      for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
      sendProblem(reply, request, refusal.error);
    }, done);
  });
}

/** Why a request's credentials were refused: the error to answer and the headers that go with it. */
export interface CredentialRefusal {
  error: AppError;
  headers: Record<string, string>;
}

/** The limits and the record every authentication attempt goes through (bearer, session, sign-in). */
export type AuthFailureGate = Pick<AuthenticationOptions, 'limiter' | 'onFailure'>;

/**
 * Authenticates one request (setting `request.principal`), or says how to refuse it. An address that
 * fails too often is refused (429) for every request until its block ends, valid credentials included;
 * a refusal is noted for the aggregated audit entry, not written one by one. With `sessions`, a request
 * without an Authorization header that carries the session cookie is authenticated by its session, and
 * one that changes something must then pass the CSRF check (403 `csrf_failed`, not a failed
 * authentication).
 */
export async function checkCredentials(
  request: FastifyRequest,
  options: Omit<AuthenticationOptions, 'publicPrefixes'>,
): Promise<CredentialRefusal | null> {
  const { sessions } = options;
  const cookie =
    sessions && request.headers.authorization === undefined ? readSessionCookie(request) : undefined;
  if (sessions && cookie !== undefined) {
    const outcome = await attemptAuthentication(request, options, () => sessions.authenticate(cookie));
    if (!outcome.ok)
      return outcome.failed ? withSessionCookieCleared(request, outcome.refusal) : outcome.refusal;
    request.principal = outcome.result.session.principal;
    request.consoleSession = outcome.result.session;
    return csrfPasses(request, outcome.result.session) ? null : csrfRefusal();
  }
  const outcome = await attemptAuthentication(request, options, () =>
    options.authenticate(request.headers.authorization),
  );
  if (!outcome.ok) return outcome.refusal;
  request.principal = outcome.result.principal;
  return null;
}

/**
 * One authentication attempt under the failure limit: refused (429) while the address is blocked; a
 * failure is noted with its precise reason and counted, and answers the one generic 401 (429 once it
 * reaches the limit). `failed` says the attempt itself failed (not refused for an earlier block).
 */
export async function attemptAuthentication<
  R extends { ok: true } | { ok: false; reason: AuthFailureReason },
>(
  request: FastifyRequest,
  gate: AuthFailureGate,
  attempt: () => Promise<R>,
): Promise<
  { ok: true; result: Extract<R, { ok: true }> } | { ok: false; refusal: CredentialRefusal; failed: boolean }
> {
  const client = clientAddressKey(request.ip);
  const refuse = (reason: AuthRefusal) => {
    try {
      gate.onFailure({ reason, requestId: String(request.id), clientAddress: client });
    } catch (err) {
      // The refusal still goes out: losing its record must not let the request through.
      request.log.error({ err }, 'could not note a refused authentication');
    }
  };

  const blockedMs = await gate.limiter.blockedFor(client);
  if (blockedMs > 0) {
    refuse('rate_limited');
    return { ok: false, refusal: tooMany(blockedMs), failed: false };
  }
  const result = await attempt();
  if (result.ok) return { ok: true, result: result as Extract<R, { ok: true }> };
  const reason = (result as { reason: AuthFailureReason }).reason;
  refuse(reason);
  const nowBlockedMs = await gate.limiter.fail(client);
  const refusal: CredentialRefusal =
    nowBlockedMs > 0
      ? tooMany(nowBlockedMs)
      : {
          error: reason === 'jwt_teams_required' ? oidcTeamsRequired() : unauthenticated(),
          headers: { 'www-authenticate': 'Bearer realm="warden"', 'cache-control': 'no-store' },
        };
  return { ok: false, refusal, failed: true };
}

/** A refused session cookie is cleared, so the browser stops sending it (and counting against the limit). */
export function withSessionCookieCleared(
  request: FastifyRequest,
  refusal: CredentialRefusal,
): CredentialRefusal {
  return { ...refusal, headers: { ...refusal.headers, 'set-cookie': clearedSessionCookieHeader(request) } };
}

function csrfRefusal(): CredentialRefusal {
  return { error: csrfFailed(), headers: { 'cache-control': 'no-store' } };
}

function tooMany(blockedMs: number): CredentialRefusal {
  const seconds = Math.ceil(blockedMs / 1000);
  return {
    error: authRateLimited(seconds),
    headers: { 'retry-after': String(seconds), 'cache-control': 'no-store' },
  };
}

/** The caller of a protected route; the hook guarantees it, so its absence is a wiring bug. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}
