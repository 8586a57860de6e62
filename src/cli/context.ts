import type { Readable } from 'node:stream';
import { type ApiClient, createApiClient } from './api-client.js';
import { resolveCredentials } from './credentials.js';
import type { Io } from './output.js';

/** What every command gets: where it runs, its environment and streams. Commands never read globals. */
export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  io: Io;
  /** Where `-` reads from (a command given `-` without it is refused as a bad option). */
  stdin?: Readable;
}

export interface ClientOptions {
  url?: string;
  /** A bearer token (prefer WARDEN_TOKEN or `warden login`: a flag shows in the process list). */
  token?: string;
  json?: boolean;
}

/** A client for the server and token the flags, environment or saved login name (in that order). */
export function clientFor(ctx: CliContext, options: ClientOptions): ApiClient {
  const { url, token } = resolveCredentials({ url: options.url, token: options.token }, ctx.env);
  return createApiClient(url, { token, tokenSource: tokenSource(ctx, options) });
}

/** Where resolveCredentials took the token from, in its order, to name it when the server refuses it. */
function tokenSource(ctx: CliContext, options: ClientOptions): string {
  if (options.token) return '--token';
  if (ctx.env.WARDEN_TOKEN) return 'WARDEN_TOKEN';
  return 'the saved login (`warden login`)';
}
