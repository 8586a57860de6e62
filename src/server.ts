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

/**
 * `warden serve` (role `server`) and `warden gateway` (role `gateway`, the data plane alone on a database
 * and data directory a server owns): the one place that listens.
 */
export async function startServer(
  config: Readonly<Config>,
  options: { role?: 'server' | 'gateway' } = {},
): Promise<RunningServer> {
  const role = options.role ?? 'server';
  const logger = createLogger({ level: config.logLevel });
  const container = await createContainer(config, logger, { role });
  const app = await buildApp({ ...container, version: wardenVersion });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    await container.close();
    throw err;
  }
  // Deliveries start once the server is up; a commit that writes an outbox event wakes the dispatcher.
  // Only the control plane delivers: a gateway's outbox events are picked up by its server's poll.
  if (role === 'server') container.webhookDispatcher.start();
  // Each process monitors the traffic its own gateway serves (when monitor.enabled).
  container.monitorRunner.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info(
    { url, role, dataDir: config.dataDir, database: container.describeDatabase, version: wardenVersion },
    role === 'server' ? 'warden is listening' : 'warden gateway is listening',
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
