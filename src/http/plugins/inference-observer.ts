import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  digestHeader,
  type GatewayMetrics,
  type InferenceOutcome,
  type ServingStats,
  unknownModel,
} from '../../modules/gateway/index.js';
import { AppError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error code a refusal answered with, for the metrics and the access log ('' when none). */
    refusalCode: string;
  }
}

/** The flag header a screening guard sets on a request it lets through but marks. */
export const screeningHeader = 'x-warden-screening';

export interface InferenceObserverOptions {
  metrics: Pick<GatewayMetrics, 'request'>;
  /** The per-minute rollup behind GET /environments/{env}/serving/stats (default: none). */
  servingStats?: Pick<ServingStats, 'record'>;
  /** True for a model the gateway serves: any other name is labelled `_unknown`, never as sent. */
  serves(model: string): boolean;
  accessLog: {
    logger: Logger;
    /** The share of answered requests logged (0..1); a 5xx is always logged. */
    sampleRate: number;
    /** Uniform in [0, 1) (default Math.random). */
    random?: () => number;
  };
}

/** Framework errors named as the API's transport codes, so a reason label is the same on every route. */
const frameworkReasons: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
};

function reasonOf(err: FastifyError): string {
  if (err instanceof AppError) return err.code;
  if (err instanceof SyntaxError) return 'malformed_json';
  return frameworkReasons[err.code] ?? '';
}

/** Notes the code a route answered a refusal with, where it answers without throwing. */
export function noteRefusal(request: FastifyRequest, code: string): void {
  request.refusalCode = code;
}

/** An inference call: a POST on a route that authenticates in its own scope (/v2, /v1, /openai). */
const isInference = (request: FastifyRequest) =>
  request.method === 'POST' && request.routeOptions.config?.ownAuthentication === true;

/**
 * Counts and samples the inference path from the transport's side, in one onResponse hook: what every
 * answer cost and why a refused one was refused (the error code a route threw or noted), with labels
 * bounded by what the gateway serves. Fastify's own per-request lines are turned off on these routes: the
 * sampled access log replaces them, so the hot path writes one log line per hundred requests, not two per
 * request. No body, header or credential is ever logged.
 */
export function observeInference(app: FastifyInstance, options: InferenceObserverOptions): void {
  const { metrics, servingStats, serves } = options;
  const { logger, sampleRate } = options.accessLog;
  const random = options.accessLog.random ?? Math.random;
  app.decorateRequest('refusalCode', '');
  // Only ever quieter than the server's level (an operator's `error` or `silent` stays so).
  const levels = (app.log as { levels?: { values: Record<string, number> } }).levels?.values;
  const quieter = levels && (levels[app.log.level] ?? Number.POSITIVE_INFINITY) < (levels.warn ?? 40);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (quieter && route.config?.ownAuthentication === true && methods.includes('POST'))
      route.logLevel ??= 'warn';
  });
  app.addHook('onError', (request, _reply, err, done) => {
    if (isInference(request) && request.refusalCode === '') request.refusalCode = reasonOf(err);
    done();
  });
  // Callback hooks, not async ones: on every request, an async hook's promise costs a microtask turn.
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    try {
      observe(request, reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });
  function observe(request: FastifyRequest, reply: FastifyReply): void {
    if (!isInference(request)) return;
    const status = reply.statusCode;
    const outcome: InferenceOutcome = status < 400 ? 'ok' : status < 500 ? 'client_error' : 'server_error';
    const reason = outcome === 'ok' ? '' : request.refusalCode || `http_${status}`;
    const named =
      (request.params as { model?: unknown } | undefined)?.model ??
      (request.body as { model?: unknown } | undefined)?.model;
    const model = typeof named === 'string' && serves(named) ? named : unknownModel;
    const digestValue = reply.getHeader(digestHeader);
    const digest = typeof digestValue === 'string' ? digestValue : '';
    const seconds = reply.elapsedTime / 1000;
    metrics.request({
      model,
      digest,
      outcome,
      reason,
      flagged: Boolean(reply.getHeader(screeningHeader)),
      seconds,
    });
    servingStats?.record(model, digest, status, reason, reply.elapsedTime);
    if (status < 500 && random() >= sampleRate) return;
    const line = {
      requestId: String(request.id),
      method: request.method,
      route: request.routeOptions.url,
      status,
      model,
      digest,
      ...(reason ? { reason } : {}),
      ms: Math.round(reply.elapsedTime * 1000) / 1000,
      principal: request.principal?.id ?? null,
      clientAddress: request.ip,
    };
    if (status >= 500) logger.error(line, 'inference request');
    else logger.info(line, 'inference request');
  }
}
