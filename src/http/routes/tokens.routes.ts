import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CallContext, IdentityService, Principal } from '../../modules/identity/index.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { CreateTokenBody, IssuedToken, TokenInfo, TokenParams, WhoAmI } from '../schemas/identity.schemas.js';

export interface TokenRouteOptions {
  identity: Pick<IdentityService, 'issueToken' | 'listTokens' | 'revokeToken'>;
  principalOf(request: FastifyRequest): Principal;
  /** The caller with its request id and address, for authorization and the audit log. */
  contextOf(request: FastifyRequest): CallContext;
}

/** API tokens (issue: the only answer that carries a secret; list; revoke) and the caller's own identity. */
export const tokenRoutes: FastifyPluginAsyncTypebox<TokenRouteOptions> = async (
  app,
  { identity, principalOf, contextOf },
) => {
  const tags = ['identity'];

  app.post(
    '/tokens',
    {
      config: { action: 'identity:token:create' },
      schema: {
        tags,
        summary: 'Issue an API token for a service account (its secret is in this answer only)',
        body: CreateTokenBody,
        response: { 201: IssuedToken, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { name, roles, teams, expires } = request.body;
      const issued = await identity.issueToken(
        { name, roles, ...(teams ? { teams } : {}), ...(expires !== undefined ? { expires } : {}) },
        contextOf(request),
      );
      return reply.code(201).header('cache-control', 'no-store').send(issued);
    },
  );

  app.get(
    '/tokens',
    {
      config: { action: 'identity:token:list' },
      schema: {
        tags,
        summary: 'List API tokens (metadata only: never a secret or its hash)',
        response: { 200: Type.Array(TokenInfo), ...problemResponses },
      },
    },
    async (request) => identity.listTokens(contextOf(request)),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { action: 'identity:token:revoke' },
      schema: {
        tags,
        summary: 'Revoke an API token (revoking it again changes nothing)',
        params: TokenParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await identity.revokeToken(request.params.id, contextOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/whoami',
    {
      config: { action: 'identity:whoami' },
      schema: {
        tags,
        summary: 'Who the server takes the caller to be',
        response: { 200: WhoAmI, ...problemResponses },
      },
    },
    async (request) => principalOf(request),
  );
};
