import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { PageQuery, pageOf, problemResponses } from '../schemas/common.schemas.js';
import {
  AliasEvent,
  AliasParams,
  ModelParams,
  RemoveAliasQuery,
  SetAliasBody,
  SetAliasResponse,
} from '../schemas/registry.schemas.js';
import type { RegistryRouteOptions } from './models.routes.js';

export const aliasRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (
  app,
  { registry, contextOf },
) => {
  const tags = ['aliases'];

  app.get(
    '/models/:name/aliases',
    {
      config: { action: 'registry:alias:list' },
      schema: {
        tags,
        summary: "List a model's aliases",
        params: ModelParams,
        response: { 200: Type.Array(Type.Ref('Alias')), ...problemResponses },
      },
    },
    async (request) => registry.listAliases(request.params.name, contextOf(request)),
  );

  app.put(
    '/models/:name/aliases/:alias',
    {
      config: { action: 'registry:alias:set' },
      schema: {
        tags,
        summary: 'Point an alias at a version (the move is kept in its history)',
        params: AliasParams,
        body: SetAliasBody,
        response: { 200: SetAliasResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { version, reason } = request.body;
      return registry.setAlias(
        request.params.name,
        request.params.alias,
        { version: String(version), ...(reason !== undefined ? { reason } : {}) },
        contextOf(request),
      );
    },
  );

  app.delete(
    '/models/:name/aliases/:alias',
    {
      config: { action: 'registry:alias:delete' },
      schema: {
        tags,
        summary: 'Remove an alias (recorded in its history)',
        params: AliasParams,
        querystring: RemoveAliasQuery,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { reason } = request.query;
      await registry.removeAlias(
        request.params.name,
        request.params.alias,
        reason !== undefined ? { reason } : {},
        contextOf(request),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/models/:name/aliases/:alias/history',
    {
      config: { action: 'registry:alias:history' },
      schema: {
        tags,
        summary: "An alias's moves, newest first",
        params: AliasParams,
        querystring: PageQuery,
        response: { 200: pageOf(AliasEvent), ...problemResponses },
      },
    },
    async (request) => {
      const { limit = 50, after } = request.query;
      return registry.aliasHistory(
        request.params.name,
        request.params.alias,
        { limit, ...(after ? { after } : {}) },
        contextOf(request),
      );
    },
  );
};
