import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export const docsPrefix = '/docs';

/** OpenAPI 3 built from the routes' own schemas; served as JSON and as human docs under /docs. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Warden API',
        version,
        description:
          'Model registry: immutable, content-addressed model versions, aliases with history. Errors are RFC 9457 problem+json.',
      },
      tags: [
        { name: 'models' },
        { name: 'versions' },
        { name: 'aliases' },
        { name: 'health' },
        { name: 'guards', description: "Per-deployment guard policies and the gateway's extraction alerts" },
      ],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: docsPrefix,
    uiConfig: { url: '/api/v1/openapi.json' } as never,
  });
  app.get('/api/v1/openapi.json', { config: { action: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
