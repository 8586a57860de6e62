import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, internalError } from '../../platform/errors.js';
import { type FieldError, toFieldErrors } from '../field-errors.js';
import {
  bodyTooLarge,
  invalidMultipart,
  invalidRequest,
  malformedJson,
  malformedUrl,
  routeNotFound,
  statusOf,
  unsupportedMediaType,
  uploadAborted,
  uriTooLong,
} from '../http-errors.js';

/** The reason phrases of RFC 9110 (which renamed 413), one per status Warden answers with. */
const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The longest URL the server reads; longer ones are refused with 414 before routing or authentication. */
export const maxUrlBytes = 8192;
/** The longest path parameter the router matches (a file path in a download URL, percent-encoded). */
export const maxParamBytes = 4096;

/** The content type as the client sent it, cut short: it is echoed in the problem's detail. */
const contentTypeOf = (request: FastifyRequest) =>
  String(request.headers['content-type'] ?? '').slice(0, 200);

/** Turns what Fastify and its plugins throw into Warden's own errors. */
function translate(
  err: FastifyError & { validation?: unknown[]; validationContext?: string },
  request: FastifyRequest,
  limit: number,
) {
  if (err instanceof AppError) {
    // Field errors travel in details from the modules; problem+json lists them at the top level.
    const { errors, ...rest } = (err.details ?? {}) as { errors?: FieldError[] };
    if (!Array.isArray(errors)) return { error: err };
    return {
      error: new AppError(err.code, err.kind, err.message, Object.keys(rest).length ? rest : undefined),
      errors,
    };
  }
  if (Array.isArray(err.validation)) {
    const where = err.validationContext ?? 'body';
    return { error: invalidRequest(where), errors: toFieldErrors(err.validation, where) };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { error: malformedJson() };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      // A route may take larger bodies than the default (an attached report): name the limit it applies.
      return { error: bodyTooLarge(request.routeOptions?.bodyLimit ?? limit) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return { error: unsupportedMediaType(contentTypeOf(request)) };
    case 'FST_ERR_BAD_URL':
      return { error: malformedUrl() };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { error: uriTooLong(maxParamBytes, 'path parameter') };
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PROTO_VIOLATION':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return { error: invalidMultipart(err.message.replace(/\.$/, '').toLowerCase()) };
    case 'FST_MP_PREMATURE_CLOSE':
    case 'ECONNRESET':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return { error: uploadAborted() };
  }
  // busboy's own words when the body ends before the closing boundary (a client that went away).
  if (err.message === 'Unexpected end of multipart data') return { error: uploadAborted() };
  // The parser's search cannot take a boundary this long; the upload's own check names the limit first.
  if (err.message === 'The needle cannot have a length bigger than 256.') {
    return { error: invalidMultipart('the boundary is too long') };
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return { error: malformedJson() };
  // Other client errors from Fastify keep their status; their messages describe the request, not us.
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return { error: new AppError('invalid_request', 'invalid', err.message) };
  }
  return { error: internalError(), cause: err };
}

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  error: AppError,
  errors?: FieldError[],
): FastifyReply {
  const body = problemOf(error, String(request.id), errors);
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** The problem+json body of an error; also written raw to sockets Fastify never turned into a request. */
export function problemOf(error: AppError, requestId: string, errors?: FieldError[]) {
  const status = statusOf(error);
  const internal = error.kind === 'internal';
  return {
    type: `urn:warden:error:${error.code}`,
    title: titles[status] ?? 'Error',
    status,
    code: error.code,
    detail: internal ? 'An internal error occurred; quote the request id when reporting it.' : error.message,
    requestId,
    ...(error.details && !internal ? { details: error.details } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** problem+json for every error; 5xx bodies say nothing of internals and carry the request id. */
export function registerErrorHandler(
  app: FastifyInstance,
  options: {
    bodyLimit: number;
    /** Answers a request no route matched some other way (a console deep link) and says so. */
    notFound?: (request: FastifyRequest, reply: FastifyReply) => boolean;
  },
): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { error, errors, cause } = translate(err, request, options.bodyLimit) as {
      error: AppError;
      errors?: FieldError[];
      cause?: unknown;
    };
    if (cause) request.log.error({ err: cause }, 'unhandled error');
    else if (statusOf(error) >= 500) request.log.error({ code: error.code }, error.message);
    return sendProblem(reply, request, error, errors);
  });
  app.setNotFoundHandler((request, reply) => {
    if (options.notFound?.(request, reply)) return reply;
    return sendProblem(reply, request, routeNotFound(request.method, request.url.split('?')[0] ?? ''));
  });
}
