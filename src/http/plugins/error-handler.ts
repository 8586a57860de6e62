import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, internalError } from '../../platform/errors.js';
import { type FieldError, toFieldErrors } from '../field-errors.js';
import {
  bodyTooLarge,
  invalidMultipart,
  invalidRequest,
  malformedJson,
  routeNotFound,
  statusOfKind,
  unsupportedMediaType,
  uploadAborted,
} from '../http-errors.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Turns what Fastify and its plugins throw into Warden's own errors. */
function translate(
  err: FastifyError & { validation?: unknown[]; validationContext?: string },
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
      return { error: bodyTooLarge(limit) };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { error: unsupportedMediaType(String(err.message.split(': ').pop() ?? '')) };
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
  const status = statusOfKind[error.kind];
  const internal = error.kind === 'internal';
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `urn:warden:error:${error.code}`,
      title: titles[status] ?? 'Error',
      status,
      code: error.code,
      detail: internal
        ? 'An internal error occurred; quote the request id when reporting it.'
        : error.message,
      requestId: String(request.id),
      ...(error.details && !internal ? { details: error.details } : {}),
      ...(errors ? { errors } : {}),
    });
}

/** problem+json for every error; 5xx bodies say nothing of internals and carry the request id. */
export function registerErrorHandler(app: FastifyInstance, options: { bodyLimit: number }): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { error, errors, cause } = translate(err, options.bodyLimit) as {
      error: AppError;
      errors?: FieldError[];
      cause?: unknown;
    };
    if (cause) request.log.error({ err: cause }, 'unhandled error');
    else if (statusOfKind[error.kind] >= 500) request.log.error({ code: error.code }, error.message);
    return sendProblem(reply, request, error, errors);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, routeNotFound(request.method, request.url.split('?')[0] ?? '')),
  );
}
