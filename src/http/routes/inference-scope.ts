import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { attachBinaryTensors, gatewayErrors, splitBinaryBody } from '../../modules/gateway/index.js';
import { AppError } from '../../platform/errors.js';
import { statusOf } from '../http-errors.js';
import { lazyChildLoggerFactory } from '../lazy-child-logger.js';
import { type AuthenticationOptions, checkCredentials } from '../plugins/authenticate.js';
import { noteRefusal } from '../plugins/inference-observer.js';

/** The inference protocols' error body: `{"error": "..."}` with its status (400, 401, 403, 404, 413, 500, 501, 503). */
export function sendError(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: message });
}

/** What an error thrown on an inference route answers: `{"error"}`, never problem+json, never internals. */
export function answerError(
  err: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  maxBodyBytes: number,
  typeMessage: string,
) {
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
      return sendError(reply, 400, typeMessage);
  }
  if (err instanceof SyntaxError) return sendError(reply, 400, `malformed JSON body: ${err.message}`);
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500)
    return sendError(reply, err.statusCode, err.message);
  request.log.error({ err }, 'unhandled error');
  return sendError(reply, 500, `internal error; quote request id ${request.id}`);
}

export interface InferenceScopeOptions {
  authentication: Omit<AuthenticationOptions, 'publicPrefixes'>;
  maxBodyBytes: number;
  /** Whether bodies may carry binary tensor data (V2's extension); V1 takes JSON only. */
  binary: boolean;
}

/** The header that gives the JSON header's length in a body (request or response) with binary tensors. */
export const headerLengthHeader = 'inference-header-content-length';

const jsonType = /^application\/json\s*(;|$)/;
const binaryType = /^application\/(octet-stream|vnd\.[^;\s]+)\s*(;|$)/;

/**
 * The plugin scope of an inference protocol: its `{"error"}` shape, its own authentication (the API's
 * checks, successes cached for a second) on every route that is not public, and its body parsing. A body is
 * JSON (`application/json`, or no content type: tritonclient sends none); with the binary extension, a body
 * with `Inference-Header-Content-Length` (as `application/octet-stream`, an `application/vnd.*` type, JSON
 * or none) is a JSON header and then raw tensors. Any other type is refused before the body is read; the
 * route's bodyLimit bounds the raw bytes as they arrive, chunked bodies included.
 */
/**
 * Why a body's Content-Encoding is refused, or null: a compressed body would otherwise be parsed as if it
 * were plain, so it is refused as the encoding it is (415, RFC 9110 15.5.16).
 */
export function unsupportedEncoding(request: FastifyRequest): string | null {
  const encoding = request.headers['content-encoding'];
  if (encoding === undefined || encoding.trim().toLowerCase() === 'identity') return null;
  return `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send the body uncompressed`;
}

export function registerInferenceScope(app: FastifyInstance, options: InferenceScopeOptions): void {
  const { maxBodyBytes, binary } = options;
  const typeMessage = binary
    ? 'the request body must be JSON (Content-Type: application/json) or binary tensor data (application/octet-stream with Inference-Header-Content-Length)'
    : 'the request body must be JSON (Content-Type: application/json)';

  // Each request's logger is made only if a line is written (the hot path writes none).
  app.setChildLoggerFactory(lazyChildLoggerFactory);
  app.setErrorHandler((err: FastifyError, request, reply) =>
    answerError(err, request, reply, maxBodyBytes, typeMessage),
  );
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `no such path: ${request.method} ${request.url.split('?')[0]}`),
  );
  app.addHook('onRoute', (route) => {
    if (route.config?.action !== 'public' && route.config?.ownAuthentication !== true)
      throw new Error(`inference route ${route.url} must authenticate in its scope`);
    // Tensors are checked element by element against the model (BYTES: UTF-8, no NUL, bounded length), the
    // rest of the body is echoed or dropped, never stored: the API's generic text walk would only cost time.
    route.config = { ...route.config, ownTextChecks: true };
  });
  // A callback hook (one promise fewer per request); a refusal answers and does not call `done`.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config?.ownAuthentication !== true) return done();
    checkCredentials(request, options.authentication).then((refusal) => {
      if (refusal === null) return done();
      noteRefusal(request, refusal.error.code);
      for (const [name, value] of Object.entries(refusal.headers)) reply.header(name, value);
      const message =
        refusal.error.kind === 'unauthenticated' ? 'authentication required' : refusal.error.message;
      sendError(reply, statusOf(refusal.error), message);
    }, done);
  });
  // Before the body is read: only the types this protocol takes.
  // A callback hook (no promise per request); a refusal answers and does not call `done`, so nothing
  // after it runs.
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (request.method !== 'POST') return done(null, payload);
    // A compressed body would be parsed as if it were plain: refused as the encoding it is (RFC 9110 15.5.16).
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      sendError(
        reply,
        415,
        `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send the body uncompressed`,
      );
      return;
    }
    const type = request.headers['content-type'];
    if (type === undefined) return done(null, payload);
    const lower = type.toLowerCase();
    if (jsonType.test(lower) || (binary && binaryType.test(lower))) return done(null, payload);
    sendError(reply, 400, typeMessage);
  });

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // A callback parser: a JSON body (the hot path) is parsed with no promise made for it.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request: FastifyRequest, raw: Buffer, done) => {
    const headerLength = request.headers[headerLengthHeader];
    if (!binary || headerLength === undefined) return parseJson(request, raw as unknown as string, done);
    let split: ReturnType<typeof splitBinaryBody>;
    try {
      const value = Array.isArray(headerLength) ? headerLength.join(',') : headerLength;
      split = splitBinaryBody(raw, value);
    } catch (err) {
      return done(err as Error, undefined);
    }
    const { header, binary: section } = split;
    const headerBytes = Buffer.from(header.buffer, header.byteOffset, header.length);
    parseJson(request, headerBytes as unknown as string, (err, parsed) => {
      if (err)
        return done(
          gatewayErrors.invalidInferenceRequest(
            `malformed JSON header: the first ${header.length} bytes (Inference-Header-Content-Length) are not a JSON object`,
          ),
          undefined,
        );
      let body: unknown;
      try {
        body = attachBinaryTensors(parsed, section);
      } catch (e) {
        return done(e as Error, undefined);
      }
      done(null, body);
    });
  });
}
