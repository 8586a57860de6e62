import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
// Not the config barrel: it loads the TypeBox schema, which client commands never need.
import { defaultServerUrl } from '../config/client-config.js';
import { defineError } from '../platform/errors.js';

export const credentialsFileInvalid = defineError(
  'credentials_file_invalid',
  'invalid',
  (file: string, reason: string) => ({
    message: `The credentials file ${file} ${reason}; run \`warden login\` again or delete it.`,
    details: { file },
  }),
);
export const credentialsFileExposed = defineError(
  'credentials_file_exposed',
  'precondition_failed',
  (file: string) => ({
    message: `The credentials file ${file} can be read by other users; run \`chmod 600 ${file}\` (and consider revoking the token).`,
    details: { file },
  }),
);
export const credentialsPathUnknown = defineError(
  'credentials_path_unknown',
  'invalid',
  () => 'Cannot tell where to keep credentials: set HOME or XDG_CONFIG_HOME.',
);

export interface StoredCredentials {
  url: string;
  token: string;
}

export interface ResolvedCredentials {
  url: string;
  token: string | null;
}

/** `$XDG_CONFIG_HOME/warden/credentials.json`, else `$HOME/.config/warden/credentials.json`. */
export function credentialsPath(env: Record<string, string | undefined>): string | null {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'warden', 'credentials.json');
  return env.HOME ? path.join(env.HOME, '.config', 'warden', 'credentials.json') : null;
}

const normalizeUrl = (url: string) => url.replace(/\/+$/, '');
const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/**
 * Where the CLI sends requests and with what token: flags, then WARDEN_URL / WARDEN_TOKEN, then the file
 * `warden login` wrote. A token from the file goes only to the server it was saved for, so `--url` pointing
 * elsewhere never receives it.
 */
export function resolveCredentials(
  flags: { url?: string | undefined; token?: string | undefined },
  env: Record<string, string | undefined>,
): ResolvedCredentials {
  const url = nonEmpty(flags.url) ?? nonEmpty(env.WARDEN_URL);
  const token = nonEmpty(flags.token) ?? nonEmpty(env.WARDEN_TOKEN);
  if (url !== undefined && token !== undefined) return { url: normalizeUrl(url), token };
  const file = credentialsPath(env);
  const saved = file ? readCredentialsFile(file) : null;
  const resolvedUrl = normalizeUrl(url ?? saved?.url ?? defaultServerUrl);
  if (token !== undefined) return { url: resolvedUrl, token };
  return { url: resolvedUrl, token: saved && normalizeUrl(saved.url) === resolvedUrl ? saved.token : null };
}

/** The saved credentials, or null when there are none. A garbled or exposed file is an error. */
export function readCredentialsFile(file: string): StoredCredentials | null {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
      throw credentialsFileExposed(file);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw credentialsFileInvalid(file, 'is not valid JSON');
  }
  const { url, token } = (parsed ?? {}) as { url?: unknown; token?: unknown };
  if (typeof url !== 'string' || typeof token !== 'string' || url === '' || token === '')
    throw credentialsFileInvalid(file, 'does not hold a url and a token');
  return { url, token };
}

/** Saves credentials readable by this user only: a 0600 file written beside, then renamed into place. */
export function writeCredentialsFile(file: string, credentials: StoredCredentials): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeFileSync(
      fd,
      `${JSON.stringify({ url: normalizeUrl(credentials.url), token: credentials.token }, null, 2)}\n`,
    );
  } catch (err) {
    closeSync(fd);
    unlinkSync(temp);
    throw err;
  }
  closeSync(fd);
  renameSync(temp, file);
}
