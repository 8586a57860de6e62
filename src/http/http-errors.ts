import { defineError, type ErrorKind } from '../platform/errors.js';

/** Errors the transport itself raises, before a request reaches a module. */
export const invalidRequest = defineError(
  'invalid_request',
  'invalid',
  (where: string) => `The request ${where} is invalid.`,
);
export const malformedJson = defineError(
  'malformed_json',
  'invalid',
  () => 'The request body is not valid JSON.',
);
export const bodyTooLarge = defineError('body_too_large', 'too_large', (limit: number) => ({
  message: `The request body is larger than the ${limit}-byte limit.`,
  details: { limit },
}));
export const unsupportedMediaType = defineError(
  'unsupported_media_type',
  'invalid',
  (type: string) => `Content type ${JSON.stringify(type)} is not accepted here.`,
);
export const routeNotFound = defineError('route_not_found', 'not_found', (method: string, url: string) => ({
  message: `No route ${method} ${url}.`,
}));
export const invalidMultipart = defineError('invalid_multipart', 'invalid', (reason: string) => ({
  message: `The multipart upload is malformed: ${reason}.`,
}));
export const uploadAborted = defineError(
  'upload_aborted',
  'invalid',
  () => 'The client closed the connection before the upload finished; nothing was stored.',
);

/** The one mapping from error kind to HTTP status. */
export const statusOfKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  precondition_failed: 412,
  too_large: 413,
  rate_limited: 429,
  integrity: 500,
  internal: 500,
  unavailable: 503,
};
