import { PassThrough } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { latencyBuckets } from '../../src/adapters/metrics/prom-metrics.js';
import { counterTally, tallyHistogram } from '../../src/adapters/metrics/tallies.js';
import { lazyChildLoggerFactory } from '../../src/http/lazy-child-logger.js';
import { createLogger } from '../../src/platform/logger.js';

/** A deterministic spread of latencies: below, on and above bucket bounds, for three label sets. */
function observations(): { labels: [string, string, string, string]; seconds: number }[] {
  const out: { labels: [string, string, string, string]; seconds: number }[] = [];
  const sets: [string, string, string, string][] = [
    ['iris', 'sha256:aa', 'ok', ''],
    ['iris', 'sha256:bb', 'client_error', 'gateway_rate_limited'],
    ['_unknown', '', 'client_error', 'gateway_model_not_found'],
  ];
  for (let i = 0; i < 300; i++) {
    const bound = latencyBuckets[i % latencyBuckets.length] as number;
    const seconds = i % 3 === 0 ? bound : i % 3 === 1 ? bound * 0.7 : bound * 1.3 + (i % 7 === 0 ? 20 : 0);
    out.push({ labels: sets[i % sets.length] as [string, string, string, string], seconds });
  }
  return out;
}

describe('hot-path metrics counted in plain numbers', () => {
  it('expose exactly what prom-client Counter and Histogram expose for the same observations', async () => {
    const labelNames = ['model', 'digest', 'outcome', 'reason'] as const;
    const reference = new Registry();
    const refCounter = new Counter({ name: 'c_total', help: 'h', labelNames, registers: [reference] });
    const refHistogram = new Histogram({
      name: 'd_seconds',
      help: 'h',
      labelNames: ['model', 'digest', 'outcome'] as const,
      buckets: latencyBuckets,
      registers: [reference],
    });

    const ours = new Registry();
    const tally = counterTally(labelNames);
    new Counter({
      name: 'c_total',
      help: 'h',
      labelNames,
      registers: [ours],
      collect() {
        tally.flush(this);
      },
    });
    const histogram = tallyHistogram({
      name: 'd_seconds',
      help: 'h',
      labelNames: ['model', 'digest', 'outcome'] as const,
      buckets: latencyBuckets,
      registry: ours,
    });

    const all = observations();
    const half = all.length / 2;
    const feed = (from: number, to: number) => {
      for (const { labels, seconds } of all.slice(from, to)) {
        const [model, digest, outcome, reason] = labels;
        refCounter.inc({ model, digest, outcome, reason });
        refHistogram.observe({ model, digest, outcome }, seconds);
        tally.inc(labels);
        histogram.observe([model, digest, outcome], seconds);
      }
    };
    // Scraped between two batches too: what was handed over is not handed over twice.
    feed(0, half);
    expect(await ours.metrics()).toBe(await reference.metrics());
    feed(half, all.length);
    const text = await ours.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('d_seconds_bucket{le="+Inf",model="iris",digest="sha256:aa",outcome="ok"}');
  });
});

describe('lazy per-request loggers', () => {
  function logged() {
    const lines: Record<string, unknown>[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => {
      for (const l of c.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    });
    return { lines, logger: createLogger({ level: 'info', destination: out }) };
  }

  it('write what an eager child writes, bound to the request id, at the levels the route lets through', async () => {
    const { lines, logger } = logged();
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, disableRequestLogging: true });
    app.setChildLoggerFactory(lazyChildLoggerFactory);
    app.get('/quiet', { logLevel: 'warn' }, async (request) => {
      request.log.info({ step: 'dropped' }, 'below the route level');
      request.log.warn({ step: 'kept', headers: { authorization: 'Bearer secret' } }, 'at the route level');
      request.log.child({ extra: 1 }).error('from a child');
      return { ok: true };
    });
    app.get('/default', async (request) => {
      request.log.debug('below the server level');
      request.log.info({ step: 'info' }, 'at the server level');
      expect(request.log.level).toBe('info');
      return { ok: true };
    });
    const quiet = await app.inject({ method: 'GET', url: '/quiet' });
    const plain = await app.inject({ method: 'GET', url: '/default' });
    await new Promise((r) => setImmediate(r));
    expect(quiet.statusCode).toBe(200);
    expect(plain.statusCode).toBe(200);
    const messages = lines.map((l) => l.msg);
    expect(messages).toEqual(['at the route level', 'from a child', 'at the server level']);
    const [warn, child, info] = lines;
    expect(warn).toMatchObject({ step: 'kept', level: 40 });
    expect(typeof warn?.reqId).toBe('string');
    expect(child).toMatchObject({ reqId: warn?.reqId, extra: 1, level: 50 });
    expect(info?.reqId).not.toBe(warn?.reqId);
    // The server logger's redaction applies to the lazily made child as to an eager one.
    expect(JSON.stringify(warn)).not.toContain('secret');
    await app.close();
  });
});
