import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { csrfFailed, sessionRequired } from '../../modules/identity/identity.errors.js';
import type { ConsoleSessionService, SessionView } from '../../modules/identity/index.js';
import {
  type AuthFailureGate,
  attemptAuthentication,
  type CredentialRefusal,
  withSessionCookieCleared,
} from '../plugins/authenticate.js';
import {
  clearedSessionCookieHeader,
  readSessionCookie,
  sessionCookieHeader,
} from '../plugins/console-cookies.js';
import { csrfPasses, originAllowed } from '../plugins/csrf.js';
import { sendProblem } from '../plugins/error-handler.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { ConsoleSession, SignInBody } from '../schemas/session.schemas.js';

export interface SessionRouteOptions {
  sessions: Pick<ConsoleSessionService, 'signInWithToken' | 'authenticate' | 'signOut'>;
  /** The failed-authentication limit and record, shared with bearer credentials. */
  gate: AuthFailureGate;
}

/** What GET and POST answer: the session, never its secret (that is in the HttpOnly cookie only). */
export function sessionBody(session: SessionView) {
  const p = session.principal;
  return {
    sessionId: session.id,
    principal: { id: p.id, kind: p.kind, name: p.name, roles: p.roles, teams: p.teams, unscoped: p.unscoped },
    csrfToken: session.csrfToken,
    idleExpiresAt: session.idleExpiresAt,
    expiresAt: session.expiresAt,
    via: session.via,
  };
}

const refuse = (reply: FastifyReply, request: FastifyRequest, refusal: CredentialRefusal) => {
  for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
  return sendProblem(reply, request, refusal.error);
};

/**
 * The console's session: sign in with an API token, see the session, sign out. These routes are public
 * (they authenticate themselves): the session is read from its cookie only, never from a bearer
 * credential, and a bad cookie or token counts against the address's failed-authentication limit exactly
 * as a bad bearer token does.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox<SessionRouteOptions> = async (
  app,
  { sessions, gate },
) => {
  const tags = ['session'];

  /** The caller's session, or the refusal to answer (401 `session_required` when there is none). */
  const currentSession = async (
    request: FastifyRequest,
  ): Promise<{ ok: true; session: SessionView } | { ok: false; refusal: CredentialRefusal }> => {
    const cookie = request.headers.authorization === undefined ? readSessionCookie(request) : undefined;
    if (cookie === undefined)
      return { ok: false, refusal: { error: sessionRequired(), headers: { 'cache-control': 'no-store' } } };
    const outcome = await attemptAuthentication(request, gate, () => sessions.authenticate(cookie));
    if (outcome.ok) return { ok: true, session: outcome.result.session };
    return {
      ok: false,
      refusal: outcome.failed ? withSessionCookieCleared(request, outcome.refusal) : outcome.refusal,
    };
  };

  app.post(
    '/session',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Sign in to the console with an API token: sets the session cookie',
        body: SignInBody,
        response: { 201: ConsoleSession, ...problemResponses },
      },
    },
    async (request, reply) => {
      // No session yet, so no CSRF token: a JSON body (which a cross-site form cannot send) and, when the
      // browser names one, this origin, keep another site from signing the browser in as someone else.
      if (!originAllowed(request)) return refuse(reply, request, { error: csrfFailed(), headers: {} });
      const origin = { requestId: String(request.id), clientAddress: request.ip };
      const outcome = await attemptAuthentication(request, gate, () =>
        sessions.signInWithToken(request.body.token, origin),
      );
      if (!outcome.ok) return refuse(reply, request, outcome.refusal);
      const { started } = outcome.result;
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .header('set-cookie', sessionCookieHeader(request, started.cookie))
        .send(sessionBody(started.session));
    },
  );

  app.get(
    '/session',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: "The caller's console session (401 session_required without one, or for a bearer caller)",
        response: { 200: ConsoleSession, ...problemResponses },
      },
    },
    async (request, reply) => {
      const current = await currentSession(request);
      if (!current.ok) return refuse(reply, request, current.refusal);
      return reply.header('cache-control', 'no-store').send(sessionBody(current.session));
    },
  );

  app.delete(
    '/session',
    {
      config: { action: 'public' },
      schema: {
        tags,
        summary: 'Sign out: ends the session on the server and clears its cookie (needs x-warden-csrf)',
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const current = await currentSession(request);
      if (!current.ok) return refuse(reply, request, current.refusal);
      if (!csrfPasses(request, current.session))
        return refuse(reply, request, { error: csrfFailed(), headers: { 'cache-control': 'no-store' } });
      await sessions.signOut(current.session, {
        principal: current.session.principal,
        requestId: String(request.id),
        clientAddress: request.ip,
      });
      return reply
        .code(204)
        .header('cache-control', 'no-store')
        .header('set-cookie', clearedSessionCookieHeader(request))
        .send(null);
    },
  );
};
