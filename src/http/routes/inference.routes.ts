import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { digestHeader, type Gateway } from '../../modules/gateway/index.js';
import type { CallContext } from '../../modules/identity/index.js';
import { AppError } from '../../platform/errors.js';
import { statusOf } from '../http-errors.js';
import { type AuthenticationOptions, checkCredentials, requirePrincipal } from '../plugins/authenticate.js';
import { noteRefusal } from '../plugins/inference-observer.js';

export interface InferenceRouteOptions {
  gateway: Gateway;
  /** The inference path's authentication (successes cached for at most one second). */
  authentication: Omit<AuthenticationOptions, 'publicPrefixes'>;
  maxBodyBytes: number;
  version: string;
}

/** The V2 protocol's error body: `{"error": "..."}` with its status (400, 401, 403, 404, 413, 500, 501, 503). */
function sendError(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

/** What an error thrown on a /v2 route answers: the V2 shape, never problem+json, never internals. */
function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply, maxBodyBytes: number) {
  if (err instanceof AppError) {
    const status = statusOf(err);
    if (status >= 500) request.log.error({ code: err.code }, err.message);
    const fields = (err.details as { errors?: { path: string; message: string }[] } | undefined)?.errors;
    const detail = Array.isArray(fields) ? `: ${fields.map((f) => `${f.path} ${f.message}`).join('; ')}` : '';
    const message =
      err.kind === 'internal' || err.kind === 'integrity'
        ? `internal error; quote request id ${request.id}`
        : `${err.message}${detail}`;
    return sendError(reply, status, message);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, `the request body is larger than ${maxBodyBytes} bytes`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 400, `malformed JSON body: ${err.message}`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return sendError(reply, 400, 'the request body must be JSON (Content-Type: application/json)');
  }
  if (err instanceof SyntaxError) return sendError(reply, 400, `malformed JSON body: ${err.message}`);
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return sendError(reply, err.statusCode, err.message);
  request.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, `internal error; quote request id ${request.id}`);
}

/**
 * The Open Inference Protocol V2 over REST, mounted at /v2: health, server and model metadata, model
 * readiness and `infer`, for the models live in the gateway's environment. Its own plugin scope: its own
 * error shape and its own authentication (the same checks as the API, with successes cached for a second).
 */
export async function inferenceRoutes(app: FastifyInstance, options: InferenceRouteOptions): Promise<void> {
  const { gateway, maxBodyBytes } = options;
  const own = { action: 'inference:invoke', ownAuthentication: true };
  const tags = ['inference'];

  app.setErrorHandler((err: FastifyError, request, reply) => answerError(err, request, reply, maxBodyBytes));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `no such path: ${request.method} ${request.url.split('?')[0]}`),
  );
  app.addHook('onRoute', (route) => {
    if (route.config?.action !== 'public' && route.config?.ownAuthentication !== true)
      throw new Error(`inference route ${route.url} must authenticate in its scope`);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.ownAuthentication !== true) return;
    const refusal = await checkCredentials(request, options.authentication);
    if (refusal === null) return;
    noteRefusal(request, refusal.error.code);
    for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
    const message =
      refusal.error.kind === 'unauthenticated' ? 'authentication required' : refusal.error.message;
    return sendError(reply, statusOf(refusal.error), message);
  });
  // Before the body is read: only JSON is parsed (the binary extension is not built).
  app.addHook('preParsing', async (request, reply, payload) => {
    if (request.method !== 'POST') return payload;
    const type = String(request.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/octet-stream') || request.headers['inference-header-content-length'])
      return sendError(reply, 501, 'the binary data extension is not supported; send JSON');
    if (!/^application\/json\s*(;|$)/.test(type))
      return sendError(reply, 400, 'the request body must be JSON (Content-Type: application/json)');
    return payload;
  });

  const contextOf = (request: FastifyRequest): CallContext => ({
    principal: requirePrincipal(request),
    requestId: String(request.id),
    clientAddress: request.ip,
  });
  type Params = { model: string; version?: string };

  app.get('/health/live', { config: { action: 'public' }, schema: { tags } }, async () => ({ live: true }));
  app.get('/health/ready', { config: { action: 'public' }, schema: { tags } }, async (_request, reply) => {
    const ready = gateway.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get('', { config: { action: 'public' }, schema: { tags } }, async () => ({
    name: 'warden',
    version: options.version,
    extensions: [],
  }));

  for (const base of ['/models/:model', '/models/:model/versions/:version']) {
    app.get<{ Params: Params }>(base, { config: own, schema: { tags } }, async (request, reply) => {
      const { model, version } = request.params;
      const answer = await gateway.metadata(contextOf(request), model, version);
      reply.header(digestHeader, answer.digest);
      return answer.body;
    });
    app.get<{ Params: Params }>(
      `${base}/ready`,
      { config: own, schema: { tags } },
      async (request, reply) => {
        const { model, version } = request.params;
        const answer = await gateway.modelReady(contextOf(request), model, version);
        if (answer.digest) reply.header(digestHeader, answer.digest);
        return answer.body;
      },
    );
    app.post<{ Params: Params }>(
      `${base}/infer`,
      { config: own, bodyLimit: maxBodyBytes, schema: { tags } },
      async (request, reply) => {
        const { model, version } = request.params;
        const headers = new Map<string, string>();
        try {
          return (await gateway.infer(contextOf(request), model, version, request.body, headers)).body;
        } finally {
          for (const [name, value] of headers) reply.header(name, value);
        }
      },
    );
  }
  // Warden's own view of a served model: which versions are loaded, and why one was refused.
  app.get<{ Params: Params }>('/models/:model/status', { config: own, schema: { tags } }, async (request) =>
    gateway.status(contextOf(request), request.params.model),
  );
}
