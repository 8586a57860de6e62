import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AppError, internalError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import {
  headersTooLarge,
  malformedHttp,
  malformedUrl,
  requestTimeout,
  serverClosing,
  uriTooLong,
} from '../http-errors.js';
import { maxParamBytes, maxUrlBytes, problemOf, sendProblem } from './error-handler.js';

interface TransportLogger {
  debug(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (bad percent-encoding) or a parameter over
 * `maxParamLength`. They arrive before any hook runs, so the request-id headers are set here.
 */
export function onFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  reply.header('x-content-type-options', 'nosniff');
  let error: AppError;
  if (err.code === 'FST_ERR_BAD_URL') error = malformedUrl();
  else if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') error = uriTooLong(maxParamBytes, 'path parameter');
  else {
    request.log.error({ err }, 'framework error');
    error = internalError();
  }
  return sendProblem(reply, request, error);
}

/** The bytes of a raw HTTP/1.1 problem response, for a socket Node's parser refused before Fastify saw it. */
function rawProblem(error: AppError): string {
  const requestId = newId();
  const problem = problemOf(error, requestId);
  const body = JSON.stringify(problem);
  return (
    `HTTP/1.1 ${problem.status} ${problem.title}\r\n` +
    'Content-Type: application/problem+json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    `x-request-id: ${requestId}\r\n` +
    'x-content-type-options: nosniff\r\n' +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Node raises a header overflow for the request line and the headers together. A chunk that starts a request
 * line and holds no line end within the URL limit is a URL too long (414); anything else is too many or too
 * large headers (431).
 */
function overflowError(rawPacket: unknown): AppError {
  if (Buffer.isBuffer(rawPacket) && /^[A-Z]+ /.test(rawPacket.subarray(0, 16).toString('latin1'))) {
    const end = rawPacket.indexOf('\r\n');
    if (end === -1 || end > maxUrlBytes) return uriTooLong(maxUrlBytes);
  }
  return headersTooLarge();
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses (malformed HTTP, 431/414, a request that
 * never finished arriving) answers problem+json too, then the connection is closed as Node itself does.
 */
export function createClientErrorHandler(logger: TransportLogger) {
  return (err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let error: AppError;
    if (err.code === 'HPE_HEADER_OVERFLOW') error = overflowError(err.rawPacket);
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') error = requestTimeout();
    else if (err.code === 'HPE_INVALID_URL') error = malformedUrl();
    else error = malformedHttp();
    logger.debug({ code: err.code }, 'client error');
    // A response already under way on this connection cannot be followed by another one.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(rawProblem(error));
    socket.destroy();
  };
}

/**
 * Checks made before authentication: a URL over the limit is refused unread (414), and a server that is
 * shutting down answers 503 problem+json rather than Fastify's plain JSON.
 */
export function registerTransportGuards(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A callback hook (no promise per request); a refusal answers and does not call `done`.
  app.addHook('onRequest', (request, reply, done) => {
    if (closing) {
      reply.header('connection', 'close');
      sendProblem(reply, request, serverClosing());
      return;
    }
    if (request.url.length > maxUrlBytes / 3 && Buffer.byteLength(request.url) > maxUrlBytes) {
      reply.header('connection', 'close');
      sendProblem(reply, request, uriTooLong(maxUrlBytes));
      return;
    }
    done();
  });
}
