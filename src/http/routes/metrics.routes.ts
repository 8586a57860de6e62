import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { problemResponses } from '../schemas/common.schemas.js';

export interface MetricsRouteOptions {
  metrics: { contentType: string; render(): Promise<string> };
}

/**
 * Prometheus metrics. Not public: counters name failure reasons and volumes an attacker could use to tune
 * a probe, so they need `metrics:read` (admins), like any other route; a scraper uses an API token.
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<MetricsRouteOptions> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      config: { action: 'metrics:read' },
      schema: {
        tags: ['metrics'],
        summary: 'Prometheus metrics in the text exposition format',
        response: {
          200: Type.String({ description: 'Prometheus text format 0.0.4' }),
          ...problemResponses,
        },
      },
    },
    async (_request, reply) => {
      const body = await metrics.render();
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(body);
    },
  );
};
