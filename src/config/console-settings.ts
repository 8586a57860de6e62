import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Secret } from '../platform/secret.js';
import { ConsoleSchema, consoleDefaults, defaultConsoleScopes } from './console.schema.js';

type ConsoleInput = Static<typeof ConsoleSchema>;

/** Signing in to the console with the `oidc` issuer, every setting resolved and the secret read. */
export interface ConsoleOidcSettings {
  clientId: string;
  /** Null for a public client (PKCE alone). */
  clientSecret: Secret | null;
  redirectUri: string;
  scopes: string[];
}

export interface ConsoleSettings {
  session: { idleMinutes: number; absoluteHours: number };
  oidc: ConsoleOidcSettings | null;
}

interface Problem {
  key: string;
  source: string;
  message: string;
}

const checker = Compile(ConsoleSchema);
const secretVariable = 'WARDEN_CONSOLE_OIDC_CLIENT_SECRET';
const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Resolves the console's settings once the schema has accepted them: the client secret is read (from its
 * variable or its file, never from the config file or a flag, which a process listing or a checked-in
 * file would show), the redirect URI checked, and `console.oidc` refused without an `oidc` issuer.
 */
export function resolveConsole(
  input: ConsoleInput | undefined,
  sources: { hasOidcIssuer: boolean; cwd: string; origin: Map<string, string> },
  problems: Problem[],
): ConsoleSettings {
  // One the schema refused is reported by its schema errors alone.
  if (input === undefined || !checker.Check(input)) return { session: consoleDefaults.session, oidc: null };
  const session = input.session;
  const sourceOf = (key: string) => sources.origin.get(key) ?? 'default';
  if (session.idleMinutes > session.absoluteHours * 60)
    problems.push({
      key: 'console.session.idleMinutes',
      source: sourceOf('console.session.idleMinutes'),
      message: 'is longer than console.session.absoluteHours',
    });
  const given = input.oidc;
  if (given === null) return { session, oidc: null };
  const push = (key: string, message: string) =>
    problems.push({ key: `console.oidc.${key}`, source: sourceOf(`console.oidc.${key}`), message });

  if (!sources.hasOidcIssuer)
    problems.push({
      key: 'console.oidc',
      source: sourceOf('console.oidc.clientId'),
      message: 'needs `oidc` (issuer, audience, jwksUrl): the console signs in with that issuer',
    });
  const scopes = given.scopes ?? [...defaultConsoleScopes];
  if (!scopes.includes('openid')) push('scopes', 'must include openid');
  checkRedirectUri(given.redirectUri, push);
  return {
    session,
    oidc: {
      clientId: given.clientId,
      clientSecret: readClientSecret(given, sources, push),
      redirectUri: given.redirectUri,
      scopes,
    },
  };
}

function readClientSecret(
  given: NonNullable<ConsoleInput['oidc']>,
  sources: { cwd: string; origin: Map<string, string> },
  push: (key: string, message: string) => void,
): Secret | null {
  if (given.clientSecret !== undefined) {
    // Never the value itself: a problem names where it came from, and where it may come from instead.
    // The environment layer's only key for it is WARDEN_CONSOLE_OIDC_CLIENT_SECRET.
    if (sources.origin.get('console.oidc.clientSecret') !== 'env') {
      push('clientSecret', `is accepted only from ${secretVariable} or console.oidc.clientSecretFile`);
      return null;
    }
    if (given.clientSecretFile !== undefined) {
      push('clientSecretFile', `and ${secretVariable} are both set; give one`);
      return null;
    }
    return new Secret(given.clientSecret);
  }
  if (given.clientSecretFile === undefined) return null;
  try {
    const value = readFileSync(path.resolve(sources.cwd, given.clientSecretFile), 'utf8').replace(
      /\r?\n$/,
      '',
    );
    if (value === '') {
      push('clientSecretFile', `file ${given.clientSecretFile} is empty`);
      return null;
    }
    return new Secret(value);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    push(
      'clientSecretFile',
      `file ${given.clientSecretFile} cannot be read (${code === 'ENOENT' ? 'not found' : (code ?? 'error')})`,
    );
    return null;
  }
}

function checkRedirectUri(value: string, push: (key: string, message: string) => void): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    push('redirectUri', 'is not a URL');
    return;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback.has(url.hostname)))
    push('redirectUri', 'must use https (plain http only on a loopback address)');
  else if (url.username || url.password || url.hash || value.includes('#'))
    push('redirectUri', 'must not carry credentials or a fragment');
}
