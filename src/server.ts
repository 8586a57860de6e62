import type { FastifyInstance } from 'fastify';
import type { Config } from './config/index.js';
import { createContainer } from './container.js';
import { buildApp } from './http/build-app.js';
import { createLogger } from './platform/logger.js';
import { wardenVersion } from './platform/version.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Only on the very first start of a data directory: the bootstrap admin token, to show once. */
  firstAdminToken: { token: string; file: string } | null;
  close(): Promise<void>;
}

/** `warden serve`: the one place that listens. */
export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  const logger = createLogger({ level: config.logLevel });
  const container = await createContainer(config, logger);
  const app = await buildApp({ ...container, version: wardenVersion });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    await container.close();
    throw err;
  }
  // Deliveries start once the server is up; a commit that writes an outbox event wakes the dispatcher.
  container.webhookDispatcher.start();
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
    firstAdminToken: container.firstAdminToken,
    close: () => {
      closing ??= (async () => {
        await app.close();
        // Stops the webhook dispatcher (attempts in flight give their leases back) before the database.
        await container.close();
      })();
      return closing;
    },
  };
}
