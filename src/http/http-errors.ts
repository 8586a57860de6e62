import { gatewayErrors } from '../modules/gateway/index.js';
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
export const malformedUrl = defineError(
  'malformed_url',
  'invalid',
  () => 'The request URL is malformed (for example a bad percent-encoding).',
);
export const uriTooLong = defineError('uri_too_long', 'too_large', (limit: number, what = 'URL') => ({
  message: `The request ${what} is longer than the ${limit}-byte limit.`,
  details: { limit },
}));
export const headersTooLarge = defineError(
  'headers_too_large',
  'too_large',
  () => 'The request line and headers are larger than the server accepts.',
);
export const malformedHttp = defineError(
  'malformed_http',
  'invalid',
  () => 'The request is not well-formed HTTP/1.1.',
);
export const requestTimeout = defineError(
  'request_timeout',
  'invalid',
  () => 'The request did not arrive in time.',
);
export const serverClosing = defineError(
  'server_closing',
  'unavailable',
  () => 'The server is shutting down; retry on another instance or once it is back.',
);
export const routeNotFound = defineError('route_not_found', 'not_found', (method: string, url: string) => ({
  message: `No route ${method} ${url}.`,
}));
export const consoleNotBuilt = defineError(
  'console_not_built',
  'unavailable',
  () => 'The web console is not built on this server; run `npm run build` (npm ci does it) and restart.',
);
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

/**
 * Errors of the HTTP transport itself, and the gateway's upstream failures, that have a status of their own
 * in HTTP's vocabulary; their kind still gives the CLI's exit code. Every other error's status comes from its kind alone.
 */
const statusOfTransportCode: Readonly<Record<string, number>> = {
  [requestTimeout.code]: 408,
  [uriTooLong.code]: 414,
  [unsupportedMediaType.code]: 415,
  [headersTooLarge.code]: 431,
  // The gateway's upstream failures: HTTP's own words for a bad or silent upstream (their kind: unavailable).
  [gatewayErrors.upstreamUnreachable.code]: 502,
  [gatewayErrors.upstreamBadResponse.code]: 502,
  [gatewayErrors.upstreamTimeout.code]: 504,
};

/** The HTTP status an error is answered with. */
export function statusOf(error: { code: string; kind: ErrorKind }): number {
  return statusOfTransportCode[error.code] ?? statusOfKind[error.kind];
}
