import { pino } from 'pino';
import { REDACTED, redactUrl, scrubSecrets } from './redact-url.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The subset of pino that Warden's modules use; adapters and tests may pass any compatible logger. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Paths that may carry secrets are redacted whatever logs them. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-warden-csrf"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  // @fastify/multipart logs the request headers it hands busboy (at trace level).
  '*.headers.authorization',
  '*.headers.cookie',
  '*.authorization',
  '*.token',
  '*.password',
  '*.secret',
  '*.masterKey',
  '*.apiKey',
  '*.accessToken',
];

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * Fastify logs every request with this serializer (its own would print the raw URL), before any hook has
 * run: the query string's values are redacted here, so a credential sent in one never reaches a log line.
 */
export function serializeRequest(req: LoggedRequest) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * Wraps the destination so every finished line is scrubbed once more (token secrets, bearer values,
 * credential-like `name=value` pairs): a message string built by a library, which no serializer sees,
 * cannot carry a secret out either.
 */
function scrubbing(destination: NodeJS.WritableStream): { write(line: string): boolean } {
  return { write: (line: string) => destination.write(scrubSecrets(line)) };
}

export function createLogger(options: { level: LogLevel; destination?: NodeJS.WritableStream }): pino.Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: redactPaths, censor: REDACTED },
      serializers: { req: serializeRequest },
      base: { service: 'warden' },
    },
    scrubbing(options.destination ?? process.stderr),
  );
}
