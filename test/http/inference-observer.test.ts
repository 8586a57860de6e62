import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createPromMetrics } from '../../src/adapters/metrics/prom-metrics.js';
import { statusOf } from '../../src/http/http-errors.js';
import { observeInference, screeningHeader } from '../../src/http/plugins/inference-observer.js';
import { AppError, internalError } from '../../src/platform/errors.js';
import { createLogger } from '../../src/platform/logger.js';

/**
 * The observer on a bare Fastify app with routes that answer as the gateway's do: sampling decided by
 * the random source it is given, 5xx always logged, refusal codes and the screening flag counted.
 */
async function appWith(sampleRate: number, draws: number[]) {
  const lines: Record<string, unknown>[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => {
    for (const l of c.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
  });
  const metrics = createPromMetrics();
  const app = Fastify();
  let draw = 0;
  observeInference(app, {
    metrics: metrics.gateway,
    serves: (model) => model === 'iris',
    accessLog: {
      logger: createLogger({ level: 'info', destination: out }).child({ log: 'access' }),
      sampleRate,
      random: () => draws[draw++ % draws.length] ?? 0,
    },
  });
  // As the inference routes answer: an AppError's status from its kind.
  app.setErrorHandler((err, _request, reply) =>
    reply.code(err instanceof AppError ? statusOf(err) : 500).send({ error: 'refused' }),
  );
  const own = { config: { ownAuthentication: true } };
  app.post<{ Params: { model: string; what: string } }>(
    '/v2/models/:model/:what',
    own,
    async (request, reply) => {
      switch (request.params.what) {
        case 'fail':
          throw internalError();
        case 'limited':
          // The codes the rate-limit and screening guards refuse with.
          throw new AppError('gateway_rate_limited', 'rate_limited', 'slow down');
        case 'blocked':
          throw new AppError('gateway_input_blocked', 'invalid', 'blocked');
        case 'flag':
          reply.header(screeningHeader, 'injection');
          return { ok: true };
        default:
          return { ok: true };
      }
    },
  );
  await app.ready();
  const post = (path: string) => app.inject({ method: 'POST', url: path, payload: {} });
  return { app, lines, metrics, post };
}

describe('inference observer: sampled access log and derived counters', () => {
  it('logs the share the rate says, by the random draw, and every 5xx', async () => {
    const { lines, post } = await appWith(0.25, [0.1, 0.9, 0.5, 0.2]);
    for (let i = 0; i < 4; i++) expect((await post('/v2/models/iris/infer')).statusCode).toBe(200);
    expect(lines.filter((l) => l.status === 200)).toHaveLength(2);
    expect((await post('/v2/models/iris/fail')).statusCode).toBe(500);
    // 0.9 was drawn for it, above the rate: logged anyway, at error level.
    expect(lines.filter((l) => l.status === 500)).toEqual([
      expect.objectContaining({ level: 50, reason: 'internal_error', model: 'iris' }),
    ]);
  });

  it('logs nothing below 5xx at rate 0, everything at rate 1', async () => {
    const none = await appWith(0, [0]);
    await none.post('/v2/models/iris/infer');
    expect(none.lines).toEqual([]);
    const all = await appWith(1, [0.999999]);
    await all.post('/v2/models/iris/infer');
    await all.post('/v2/models/other/infer');
    expect(all.lines.map((l) => l.model)).toEqual(['iris', '_unknown']);
  });

  it('derives the rate-limit and screening counters', async () => {
    const { metrics, post } = await appWith(0, [0.5]);
    await post('/v2/models/iris/limited');
    await post('/v2/models/iris/flag');
    await post('/v2/models/iris/blocked');
    const text = await metrics.render();
    expect(text).toContain('warden_inference_rate_limited_total{model="iris"} 1');
    expect(text).toContain('warden_inference_screening_total{model="iris",action="flagged"} 1');
    expect(text).toContain('warden_inference_screening_total{model="iris",action="blocked"} 1');
    expect(text).toContain(
      'warden_inference_requests_total{model="iris",digest="",outcome="client_error",reason="gateway_rate_limited"} 1',
    );
  });
});
