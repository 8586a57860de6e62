import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CallContext } from '../../modules/identity/index.js';
import type { RegistryService } from '../../modules/registry/index.js';
import { pageOf, problemResponses } from '../schemas/common.schemas.js';
import {
  CreateModelBody,
  ListModelsQuery,
  ModelDetail,
  ModelParams,
  UpdateModelBody,
} from '../schemas/registry.schemas.js';

export interface RegistryRouteOptions {
  registry: RegistryService;
  /** The authenticated caller of a request (the authentication hook has run on every non-public route). */
  contextOf(request: FastifyRequest): CallContext;
}

export const modelRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (
  app,
  { registry, contextOf },
) => {
  const tags = ['models'];

  app.post(
    '/models',
    {
      config: { action: 'registry:model:create' },
      schema: {
        tags,
        summary: 'Create a model',
        body: CreateModelBody,
        response: { 201: Type.Ref('Model'), ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registry.createModel(request.body, contextOf(request))),
  );

  app.get(
    '/models',
    {
      config: { action: 'registry:model:list' },
      schema: {
        tags,
        summary: 'List models by name, with their latest version and aliases; filter by tag or name',
        querystring: ListModelsQuery,
        response: { 200: pageOf(Type.Ref('ModelListItem')), ...problemResponses },
      },
    },
    async (request) => {
      const { tag, q, limit = 50, after } = request.query;
      return registry.listModels(
        { limit, ...(tag ? { tag } : {}), ...(q ? { nameContains: q } : {}), ...(after ? { after } : {}) },
        contextOf(request),
      );
    },
  );

  app.get(
    '/models/:name',
    {
      config: { action: 'registry:model:read' },
      schema: {
        tags,
        summary: 'Show a model with its aliases',
        params: ModelParams,
        response: { 200: ModelDetail, ...problemResponses },
      },
    },
    async (request) => registry.getModel(request.params.name, contextOf(request)),
  );

  app.patch(
    '/models/:name',
    {
      config: { action: 'registry:model:update' },
      schema: {
        tags,
        summary: "Change a model's description or tags",
        params: ModelParams,
        body: UpdateModelBody,
        response: { 200: Type.Ref('Model'), ...problemResponses },
      },
    },
    async (request) => registry.updateModel(request.params.name, request.body, contextOf(request)),
  );
};
