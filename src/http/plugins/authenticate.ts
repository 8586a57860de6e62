import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  authRateLimited,
  oidcTeamsRequired,
  unauthenticated,
} from '../../modules/identity/identity.errors.js';
import {
  type AuthFailureLimiter,
  type AuthRefusal,
  type AuthResult,
  clientAddressKey,
  type Principal,
} from '../../modules/identity/index.js';
import type { AppError } from '../../platform/errors.js';
import { sendProblem } from './error-handler.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route authenticates in its own plugin scope (checkCredentials), answering in its own shape. */
    ownAuthentication?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; set by the authentication hook on every non-public route. */
    principal?: Principal;
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
  app.addHook('onRequest', async (request, reply) => {
    // The route's pattern, not the raw URL: "/docs/../api/v1/…" cannot pass for a docs page.
    const route = request.routeOptions.url;
    if (route === undefined) return;
    const action = request.routeOptions.config?.action ?? null;
    if (action === 'public') return;
    // Routes with their own answer shape (the inference API) authenticate in their own scope, the same way.
    if (request.routeOptions.config?.ownAuthentication === true) return;
    if (action === null && publicPrefixes.some((p) => route === p || route.startsWith(`${p}/`))) return;
    const refusal = await checkCredentials(request, options);
    if (refusal === null) return;
    for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
    return sendProblem(reply, request, refusal.error);
  });
}

/** Why a request's credentials were refused: the error to answer and the headers that go with it. */
export interface CredentialRefusal {
  error: AppError;
  headers: Record<string, string>;
}

/**
 * Authenticates one request (setting `request.principal`), or says how to refuse it. An address that
 * fails too often is refused (429) for every request until its block ends, valid credentials included;
 * a refusal is noted for the aggregated audit entry, not written one by one.
 */
export async function checkCredentials(
  request: FastifyRequest,
  options: Omit<AuthenticationOptions, 'publicPrefixes'>,
): Promise<CredentialRefusal | null> {
  const client = clientAddressKey(request.ip);
  const refuse = (reason: AuthRefusal) => {
    try {
      options.onFailure({ reason, requestId: String(request.id), clientAddress: client });
    } catch (err) {
      // The refusal still goes out: losing its record must not let the request through.
      request.log.error({ err }, 'could not note a refused authentication');
    }
  };

  const blockedMs = await options.limiter.blockedFor(client);
  if (blockedMs > 0) {
    refuse('rate_limited');
    return tooMany(blockedMs);
  }
  const result = await options.authenticate(request.headers.authorization);
  if (result.ok) {
    request.principal = result.principal;
    return null;
  }
  refuse(result.reason);
  const nowBlockedMs = await options.limiter.fail(client);
  if (nowBlockedMs > 0) return tooMany(nowBlockedMs);
  return {
    error: result.reason === 'jwt_teams_required' ? oidcTeamsRequired() : unauthenticated(),
    headers: { 'www-authenticate': 'Bearer realm="warden"', 'cache-control': 'no-store' },
  };
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
