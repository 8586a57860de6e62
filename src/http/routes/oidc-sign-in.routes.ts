import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { clientAddressKey, type OidcSignIn, type SignInErrorCode } from '../../modules/identity/index.js';
import type { AuthFailureGate } from '../plugins/authenticate.js';
import {
  clearLoginCookie,
  readLoginCookie,
  sessionCookieHeader,
  setLoginCookie,
} from '../plugins/console-cookies.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { OidcCallbackQuery, OidcLoginQuery, OidcStatus, Redirect } from '../schemas/session.schemas.js';

export interface OidcSignInRouteOptions {
  /** Null when `console.oidc` is not configured. */
  signIn: Pick<OidcSignIn, 'begin' | 'finish'> | null;
  gate: AuthFailureGate;
}

/**
 * Sign-ins one client address may begin per minute on this server. Each writes a pending row (bounded in
 * all by the service), so one address must not be able to fill that bound and lock everyone out of OIDC.
 */
export const oidcLoginStartsPerMinute = 30;

/** Where the browser lands after a refused sign-in: the console's sign-in page, with a stable code. */
const signInPage = (code: SignInErrorCode) => `/sign-in?error=${code}`;

/**
 * Signing in to the console at the OIDC issuer (code flow with PKCE). Public routes: the login redirects
 * to the issuer; the callback exchanges the code on the server (the browser never sees a token), starts
 * the session and sends the browser on. Every refusal is a redirect to `/sign-in?error=<code>`, and counts
 * against the address's failed-authentication limit like a bad bearer token.
 */
export const oidcSignInRoutes: FastifyPluginAsyncTypebox<OidcSignInRouteOptions> = async (
  app,
  { signIn, gate },
) => {
  const tags = ['session'];
  const redirect = (reply: FastifyReply, location: string, code: 302 | 303) =>
    reply.header('cache-control', 'no-store').redirect(location, code);
  const starts = new RateLimiterMemory({ points: oidcLoginStartsPerMinute, duration: 60 });
  const tooManyStarts = (request: FastifyRequest) =>
    starts.consume(clientAddressKey(request.ip)).then(
      () => false,
      () => true,
    );
  const blocked = async (request: FastifyRequest) => {
    const client = clientAddressKey(request.ip);
    if ((await gate.limiter.blockedFor(client)) <= 0) return false;
    gate.onFailure({ reason: 'rate_limited', requestId: String(request.id), clientAddress: client });
    return true;
  };

  app.get(
    '/session/oidc',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Whether the console offers signing in with OIDC',
        response: { 200: OidcStatus, ...problemResponses },
      },
    },
    async () => ({ enabled: signIn !== null }),
  );

  app.get(
    '/session/oidc/login',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: "Begin an OIDC sign-in: redirects (302) to the issuer's authorization endpoint",
        querystring: OidcLoginQuery,
        response: { 302: Redirect, 303: Redirect, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!signIn) return redirect(reply, signInPage('oidc_disabled'), 303);
      if (await blocked(request)) return redirect(reply, signInPage('rate_limited'), 303);
      if (await tooManyStarts(request)) return redirect(reply, signInPage('rate_limited'), 303);
      let begun: Awaited<ReturnType<OidcSignIn['begin']>>;
      try {
        begun = await signIn.begin(request.query.returnTo);
      } catch (err) {
        request.log.error({ err }, 'OIDC sign-in: the issuer could not be reached');
        return redirect(reply, signInPage('oidc_unavailable'), 303);
      }
      if (!begun.ok) return redirect(reply, signInPage(begun.code), 303);
      setLoginCookie(reply, begun.binding, begun.maxAgeSeconds);
      return redirect(reply, begun.redirect.href, 302);
    },
  );

  app.get(
    '/session/oidc/callback',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary:
          'The issuer returns here: the code is exchanged, the session begun, the browser sent on (303)',
        querystring: OidcCallbackQuery,
        response: { 303: Redirect, ...problemResponses },
      },
    },
    async (request, reply) => {
      // The sign-in this browser began ends here, whatever happens.
      clearLoginCookie(reply);
      if (!signIn) return redirect(reply, signInPage('oidc_disabled'), 303);
      if (await blocked(request)) return redirect(reply, signInPage('rate_limited'), 303);
      const query = new URLSearchParams(request.raw.url?.split('?')[1] ?? '');
      const origin = { requestId: String(request.id), clientAddress: request.ip };
      let result: Awaited<ReturnType<OidcSignIn['finish']>>;
      try {
        result = await signIn.finish(query, readLoginCookie(request), origin);
      } catch (err) {
        request.log.error({ err }, 'OIDC sign-in: the callback failed');
        return redirect(reply, signInPage('server_error'), 303);
      }
      if (!result.ok) {
        const client = clientAddressKey(request.ip);
        try {
          gate.onFailure({ reason: result.reason, requestId: String(request.id), clientAddress: client });
        } catch (err) {
          request.log.error({ err }, 'could not note a refused authentication');
        }
        await gate.limiter.fail(client);
        return redirect(reply, signInPage(result.code), 303);
      }
      reply.header('set-cookie', sessionCookieHeader(request, result.started.cookie));
      return redirect(reply, result.returnTo, 303);
    },
  );
};
