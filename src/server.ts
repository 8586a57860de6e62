import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { createContainer } from './container.js';
import { buildApp } from './http/build-app.js';
import { defineError } from './platform/errors.js';
import { createLogger } from './platform/logger.js';
import { wardenVersion } from './platform/version.js';

export const nonLoopbackRefused = defineError(
  'non_loopback_refused',
  'precondition_failed',
  (host: string) => ({
    message:
      `Warden has no authentication yet, so it only listens on loopback addresses (127.0.0.1, ::1, localhost); ` +
      `refusing to listen on ${host}.`,
    details: { host },
  }),
);

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** `warden serve`: the one place that listens. */
export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  if (!isLoopback(config.host)) throw nonLoopbackRefused(config.host);
  const logger = createLogger({ level: config.logLevel });
  const container = await createContainer(config, logger);
  const app = await buildApp({
    config,
    logger,
    version: wardenVersion,
    registry: container.registry,
    checks: container.checks,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    await container.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info(
    { url, dataDir: config.dataDir, database: container.describeDatabase, version: wardenVersion },
    'warden is listening',
  );
  let closing: Promise<void> | null = null;
  return {
    app,
    url,
    close: () => {
      closing ??= (async () => {
        await app.close();
        await container.close();
      })();
      return closing;
    },
  };
}
