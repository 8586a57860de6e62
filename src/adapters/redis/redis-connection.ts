import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactUrl } from '../../platform/redact-url.js';

export interface RedisConnectionOptions {
  url: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** How long one command may take before it fails over to the insurance limiter (default 250 ms). */
  commandTimeoutMs?: number;
  /** How long the first connection may take at start (default 2 s). */
  connectTimeoutMs?: number;
}

/**
 * Opens the shared Redis connection. Commands never queue while disconnected (they fail at once, and the
 * rate limiter uses its in-memory insurance), and the client reconnects on its own. A Redis that cannot be
 * reached at start is a warning, not a refusal to start: the limits hold per server until it answers.
 * Only the URL without its user-info (password) is ever logged.
 */
export async function openRedis(options: RedisConnectionOptions) {
  const { logger } = options;
  const where = redactUrl(options.url);
  const client = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  // One line per outage, not one per reconnect attempt.
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      { redis: where, reason: err.message },
      'Redis is unreachable: rate limits are kept in this server only until it is back',
    );
  });
  client.on('ready', () => {
    if (down) logger.info({ redis: where }, 'Redis is reachable again: rate limits are shared');
    down = false;
  });
  try {
    await client.connect();
  } catch {
    // Reported by the error listener; the client keeps retrying.
  }
  return {
    client,
    async close() {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}
