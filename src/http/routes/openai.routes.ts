import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gateway } from '../../modules/gateway/index.js';
import { AppError } from '../../platform/errors.js';
import { statusOf } from '../http-errors.js';
import { type AuthenticationOptions, checkCredentials, requirePrincipal } from '../plugins/authenticate.js';
import { noteRefusal } from '../plugins/inference-observer.js';
import { unsupportedEncoding } from './inference-scope.js';

export interface OpenAiRouteOptions {
  gateway: Gateway;
  authentication: Omit<AuthenticationOptions, 'publicPrefixes'>;
  maxBodyBytes: number;
}

/** OpenAI's error types by status, so an OpenAI client raises the exception it knows. */
function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

/** OpenAI's error body: `{"error": {"message", "type", "code", "param"}}`. */
function sendError(reply: FastifyReply, status: number, message: string, code: string) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { message, type: typeOf(status), param: null, code } });
}

function answerError(err: FastifyError, request: FastifyRequest, reply: FastifyReply, maxBodyBytes: number) {
  if (err instanceof AppError) {
    const status = statusOf(err);
    if (status >= 500) request.log.error({ code: err.code }, err.message);
    const message =
      err.kind === 'internal' || err.kind === 'integrity'
        ? `internal error; quote request id ${request.id}`
        : err.message;
    return sendError(reply, status, message, err.code);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, `the request body is larger than ${maxBodyBytes} bytes`, 'body_too_large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 400, `malformed JSON body: ${err.message}`, 'malformed_json');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return sendError(reply, 400, 'the request body must be JSON', 'unsupported_media_type');
  }
  if (err instanceof SyntaxError)
    return sendError(reply, 400, `malformed JSON body: ${err.message}`, 'malformed_json');
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return sendError(reply, err.statusCode, err.message, 'invalid_request');
  request.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, `internal error; quote request id ${request.id}`, 'internal_error');
}

/**
 * An OpenAI-compatible chat-completions endpoint for the chat models the gateway serves, mounted at
 * /openai/v1 so an unmodified OpenAI client works with `base_url` set there and `model` the deployment's
 * name. Authenticated and authorized exactly like /v2 (`inference:invoke` on the deployment); its errors in
 * OpenAI's shape.
 */
export async function openAiRoutes(app: FastifyInstance, options: OpenAiRouteOptions): Promise<void> {
  const { gateway, maxBodyBytes } = options;
  app.setErrorHandler((err: FastifyError, request, reply) => answerError(err, request, reply, maxBodyBytes));
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `no such path: ${request.method} ${request.url.split('?')[0]}`, 'route_not_found'),
  );
  app.addHook('onRoute', (route) => {
    if (route.config?.ownAuthentication !== true)
      throw new Error(`OpenAI-compatible route ${route.url} must authenticate in its scope`);
  });
  app.addHook('onRequest', async (request, reply) => {
    const refusal = await checkCredentials(request, options.authentication);
    if (refusal === null) return;
    noteRefusal(request, refusal.error.code);
    for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
    const message =
      refusal.error.kind === 'unauthenticated' ? 'authentication required' : refusal.error.message;
    return sendError(reply, statusOf(refusal.error), message, refusal.error.code);
  });
  app.addHook('preParsing', async (request, reply, payload) => {
    if (request.method !== 'POST') return payload;
    const encoding = unsupportedEncoding(request);
    if (encoding) return sendError(reply, 415, encoding, 'unsupported_media_type');
    const type = String(request.headers['content-type'] ?? '').toLowerCase();
    if (!/^application\/json\s*(;|$)/.test(type))
      return sendError(
        reply,
        400,
        'the request body must be JSON (Content-Type: application/json)',
        'unsupported_media_type',
      );
    return payload;
  });

  app.post(
    '/chat/completions',
    {
      config: { action: 'inference:invoke', ownAuthentication: true },
      bodyLimit: maxBodyBytes,
      schema: { tags: ['inference'] },
    },
    async (request, reply) => {
      const headers = new Map<string, string>();
      try {
        const ctx = {
          principal: requirePrincipal(request),
          requestId: String(request.id),
          clientAddress: request.ip,
        };
        return (await gateway.chat(ctx, request.body, headers)).body;
      } finally {
        for (const [name, value] of headers) reply.header(name, value);
      }
    },
  );
}
