import { resolveServerUrl } from '../config/index.js';
import { type ApiClient, createApiClient } from './api-client.js';
import type { Io } from './output.js';

/** What every command gets: where it runs, its environment and streams. Commands never read globals. */
export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  io: Io;
}

export interface ClientOptions {
  url?: string;
  json?: boolean;
}

export function clientFor(ctx: CliContext, options: ClientOptions): ApiClient {
  return createApiClient(resolveServerUrl(options.url, ctx.env));
}
