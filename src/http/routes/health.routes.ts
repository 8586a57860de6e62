import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

export interface HealthOptions {
  /** Each check resolves true when its dependency answers. */
  checks: Record<string, () => Promise<boolean>>;
  version: string;
}

const Health = Type.Object({ status: Type.String(), version: Type.String() });
const Ready = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) });

export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, { checks, version }) => {
  app.get(
    '/healthz',
    {
      config: { action: 'public' },
      schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health } },
    },
    async () => ({ status: 'ok', version }),
  );

  app.get(
    '/readyz',
    {
      config: { action: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and artifact store',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const results: Record<string, string> = {};
      for (const [name, check] of Object.entries(checks)) {
        results[name] = (await check().catch(() => false)) ? 'ok' : 'failing';
      }
      const ready = Object.values(results).every((r) => r === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
    },
  );
};
