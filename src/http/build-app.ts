import multipart from '@fastify/multipart';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from '../config/index.js';
import type { Actor, RegistryService } from '../modules/registry/index.js';
import { newId } from '../platform/ids.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { docsPrefix, registerOpenApi } from './plugins/openapi.js';
import { enforceRouteActions } from './plugins/route-actions.js';
import { aliasRoutes } from './routes/aliases.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { modelRoutes } from './routes/models.routes.js';
import { versionRoutes } from './routes/versions.routes.js';
import { Problem } from './schemas/common.schemas.js';
import { Alias, Model, Version } from './schemas/registry.schemas.js';

export interface AppDeps {
  config: Readonly<Config>;
  logger: PinoLogger;
  version: string;
  registry: RegistryService;
  checks: Record<string, () => Promise<boolean>>;
}

// Until identity lands every caller is the operator on this machine (the server only listens on loopback).
const localOperator: Actor = { id: 'local-operator' };

/** Builds the HTTP application without listening: server.ts listens, tests use inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: config.limits.maxJsonBodyBytes,
    genReqId: () => newId(),
    return503OnClosing: true,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 4096 },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });
  registerErrorHandler(app, { bodyLimit: config.limits.maxJsonBodyBytes });
  enforceRouteActions(app, { publicPrefixes: [docsPrefix] });
  for (const schema of [Problem, Model, Version, Alias]) app.addSchema(schema);

  await registerOpenApi(app, deps.version);
  await app.register(multipart, { preservePath: true, defParamCharset: 'utf8' } as never);
  await app.register(healthRoutes, { checks: deps.checks, version: deps.version });
  const actorOf = () => localOperator;
  await app.register(
    async (api) => {
      await api.register(modelRoutes, { registry: deps.registry, actorOf });
      await api.register(versionRoutes, { registry: deps.registry, actorOf, limits: config.limits });
      await api.register(aliasRoutes, { registry: deps.registry, actorOf });
    },
    { prefix: '/api/v1' },
  );
  return app;
}
