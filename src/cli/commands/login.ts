import { defaultServerUrl } from '../../config/client-config.js';
import type { Principal } from '../../modules/identity/index.js';
import { redactUrl } from '../../platform/redact-url.js';
import { checkServerUrl, createApiClient } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import type { CliContext, ClientOptions } from '../context.js';
import { credentialsPath, credentialsPathUnknown, writeCredentialsFile } from '../credentials.js';
import { printJson } from '../output.js';

/**
 * `warden login`: checks a server URL and token against GET /api/v1/whoami, then saves them (0600) for later
 * commands. Nothing is saved if the server refuses them; the token is never printed.
 */
export async function login(ctx: CliContext, options: ClientOptions): Promise<void> {
  const url = (options.url || ctx.env.WARDEN_URL || defaultServerUrl).replace(/\/+$/, '');
  const token = options.token || ctx.env.WARDEN_TOKEN;
  if (!token) throw badOptionValue('--token', 'give the token with --token or WARDEN_TOKEN');
  const file = credentialsPath(ctx.env);
  if (!file) throw credentialsPathUnknown();
  checkServerUrl(url);
  if (!isSafeTransport(url))
    ctx.io.stderr.write(
      `warning: ${redactUrl(url)} is plain http: the token would cross the network unencrypted\n`,
    );
  const tokenSource = options.token ? '--token' : 'WARDEN_TOKEN';
  const principal = await createApiClient(url, { token, tokenSource }).json<Principal>(
    'GET',
    '/api/v1/whoami',
  );
  writeCredentialsFile(file, { url, token });
  if (options.json) return printJson(ctx.io, { url, principal, file });
  ctx.io.stdout.write(
    `Logged in to ${redactUrl(url)} as ${principal.name} (${principal.id}; roles: ${principal.roles.join(', ') || 'none'}); credentials saved to ${file}\n`,
  );
}

function isSafeTransport(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return true;
  }
}
