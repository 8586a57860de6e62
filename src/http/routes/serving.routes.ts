import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Gateway } from '../../modules/gateway/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { EnvironmentParams } from '../schemas/deploy.schemas.js';
import { ServingStatsQuery, ServingStatsResponse, ServingStatus } from '../schemas/serving.schemas.js';

export interface ServingRouteOptions {
  gateway: Gateway;
  contextOf(request: FastifyRequest): CallContext;
}

/** What this process's inference gateway serves, for operators (`warden deploy status`) and the console. */
export const servingRoutes: FastifyPluginAsyncTypebox<ServingRouteOptions> = async (
  app,
  { gateway, contextOf },
) => {
  app.get(
    '/environments/:env/serving',
    {
      config: { action: 'deploy:environment:list' },
      schema: {
        tags: ['inference'],
        summary:
          "What this server's gateway serves of the environment: each model's loaded versions, and any version it refused to load and why",
        params: EnvironmentParams,
        response: { 200: ServingStatus, ...problemResponses },
      },
    },
    async (request) => gateway.serving(contextOf(request), request.params.env),
  );

  app.get(
    '/environments/:env/serving/stats',
    {
      config: { action: 'deploy:environment:list' },
      schema: {
        tags: ['inference'],
        summary:
          "This process's answers per minute over the last hour, for each served model the caller may read: requests, status classes, refusals by reason, latency percentiles",
        params: EnvironmentParams,
        querystring: ServingStatsQuery,
        response: { 200: ServingStatsResponse, ...problemResponses },
      },
    },
    async (request) =>
      gateway.stats(contextOf(request), request.params.env, {
        ...(request.query.model === undefined ? {} : { model: request.query.model }),
        minutes: request.query.minutes ?? 60,
      }),
  );
};
