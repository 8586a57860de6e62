/** Where the CLI finds the server: --url, else WARDEN_URL, else the default local address. */
export const defaultServerUrl = 'http://127.0.0.1:8080';

export function resolveServerUrl(flag: string | undefined, env: Record<string, string | undefined>): string {
  const raw = flag ?? env.WARDEN_URL ?? defaultServerUrl;
  return raw.replace(/\/+$/, '');
}

/** The process environment, read here so the rest of the code takes it as a plain argument. */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}
