import type { FastifyInstance, FastifyRequest } from 'fastify';
import { oidcTeamsRequired, unauthenticated } from '../../modules/identity/identity.errors.js';
import type { AuthFailureReason, AuthResult, Principal } from '../../modules/identity/index.js';
import { sendProblem } from './error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set by the authentication hook on every non-public route. */
    principal?: Principal;
  }
}

export interface AuthFailure {
  reason: AuthFailureReason;
  requestId: string;
  clientAddress: string;
  /** The route's declared action, or null when no route matched. */
  action: string | null;
}

export interface AuthenticationOptions {
  authenticate(authorization: string | undefined): Promise<AuthResult>;
  /** Records a refused request (the audit log); a failure here is logged and the 401 still goes out. */
  onFailure(info: AuthFailure): Promise<void>;
  /** Route URL prefixes a third-party plugin serves without an action (the API docs), left public. */
  publicPrefixes?: string[];
}

/**
 * Authenticates every request before anything else runs, except routes that declare the action "public".
 * A request that matches no route needs credentials too, so probing does not reveal which routes exist.
 * Every failure answers the same 401 body (only the request id differs) and changes nothing.
 */
export function registerAuthentication(app: FastifyInstance, options: AuthenticationOptions): void {
  const publicPrefixes = options.publicPrefixes ?? [];
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const action = request.routeOptions.config?.action ?? null;
    if (action === 'public') return;
    // The route's pattern, not the raw URL: "/docs/../api/v1/…" cannot pass for a docs page.
    const route = request.routeOptions.url;
    if (action === null && route && publicPrefixes.some((p) => route === p || route.startsWith(`${p}/`)))
      return;
    const result = await options.authenticate(request.headers.authorization);
    if (result.ok) {
      request.principal = result.principal;
      return;
    }
    try {
      await options.onFailure({
        reason: result.reason,
        requestId: String(request.id),
        clientAddress: request.ip,
        action,
      });
    } catch (err) {
      request.log.error({ err }, 'could not record a refused authentication');
    }
    reply.header('www-authenticate', 'Bearer realm="warden"');
    reply.header('cache-control', 'no-store');
    const error = result.reason === 'jwt_teams_required' ? oidcTeamsRequired() : unauthenticated();
    return sendProblem(reply, request, error);
  });
}

/** The caller of a protected route; the hook guarantees it, so its absence is a wiring bug. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}
