import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { Compile } from 'typebox/compile';
import { Settings } from 'typebox/system';
import { defineError } from '../platform/errors.js';
import {
  booleanKeys,
  type Config,
  type ConfigInput,
  ConfigSchema,
  configDefaults,
  decimalKeys,
  envKeys,
  jsonKeys,
  listKeys,
  numericKeys,
} from './config.schema.js';
import { resolveConsole } from './console-settings.js';
import { type EnvironmentSettings, environmentProblems, resolveEnvironment } from './environments.js';
import { parseSize } from './parse-size.js';
import { resolveUpstream, type UpstreamInput, UpstreamSchema, type UpstreamSettings } from './upstreams.js';

export interface ConfigProblem {
  key: string;
  source: string;
  message: string;
}

export const configInvalid = defineError('config_invalid', 'invalid', (problems: ConfigProblem[]) => ({
  message: `Configuration is invalid:\n${problems.map((p) => `  - ${p.key} (${p.source}): ${p.message}`).join('\n')}`,
  details: { problems },
}));

export interface ConfigSources {
  /** The process environment (or any map of WARDEN_* variables). */
  env?: Record<string, string | undefined>;
  /** Path of a JSON config file; WARDEN_CONFIG in env names one too. */
  file?: string;
  /** Values from command-line flags, keyed by config key (dot paths for nested keys). */
  flags?: Record<string, unknown>;
  /** Base folder for relative paths (dataDir, policyFiles); defaults to the current directory. */
  cwd?: string;
}

const checker = Compile(ConfigSchema);
const upstreamChecker = Compile(UpstreamSchema);
type Layer = { source: string; values: Map<string, unknown> };

/**
 * Builds the configuration once, from defaults < file < environment < flags. Every problem is reported
 * together, each with its key and where the value came from; the result is frozen.
 */
export function loadConfig(sources: ConfigSources = {}): Readonly<Config> {
  const problems: ConfigProblem[] = [];
  const env = sources.env ?? {};
  const layers: Layer[] = [];
  const cwd = sources.cwd ?? process.cwd();
  const file = sources.file ?? env.WARDEN_CONFIG;
  if (file) layers.push(readFileLayer(path.resolve(cwd, file), problems));
  layers.push(envLayer(env, problems));
  layers.push({
    source: 'flag',
    values: new Map(Object.entries(sources.flags ?? {}).filter(([, v]) => v !== undefined)),
  });

  const merged: Record<string, unknown> = structuredClone(configDefaults);
  const origin = new Map<string, string>();
  for (const layer of layers) {
    for (const [key, value] of layer.values) {
      setPath(merged, key, value);
      origin.set(key, layer.source);
    }
  }
  for (const err of schemaErrors(merged)) {
    const key = err.instancePath.replace(/^\//, '').replaceAll('/', '.') || describeExtra(err.params);
    problems.push({ key, source: origin.get(key) ?? 'default', message: err.message });
  }
  problems.push(...proxyProblems(merged.trustProxy, origin.get('trustProxy') ?? 'default'));
  const environments = resolveEnvironments(merged as ConfigInput, origin, problems);
  const upstreams = resolveUpstreams(merged as ConfigInput, { env, cwd }, origin, problems);
  const consoleSettings = resolveConsole(
    (merged as ConfigInput).console,
    { hasOidcIssuer: merged.oidc !== null && merged.oidc !== undefined, cwd, origin },
    problems,
  );
  if (problems.length > 0) throw configInvalid(dedupe(problems));
  const input = merged as ConfigInput;
  const config = {
    ...input,
    environments,
    gateway: { ...input.gateway, upstreams },
    console: consoleSettings,
  } as Config;
  config.dataDir = path.resolve(cwd, config.dataDir);
  config.policyFiles = config.policyFiles.map((file) => path.resolve(cwd, file));
  return deepFreeze(config);
}

/** Every configured environment with its settings filled in; null entries (removed defaults) left out. */
function resolveEnvironments(
  input: ConfigInput,
  origin: Map<string, string>,
  problems: ConfigProblem[],
): Record<string, EnvironmentSettings> {
  const out: Record<string, EnvironmentSettings> = {};
  if (typeof input.environments !== 'object' || input.environments === null) return out;
  for (const [name, given] of Object.entries(input.environments)) {
    if (given === null || typeof given !== 'object') continue;
    const env = resolveEnvironment(name, given);
    for (const p of environmentProblems(env))
      problems.push({ ...p, source: sourceUnder(origin, `environments.${name}`) });
    defineOwn(out, name, env);
  }
  if (Object.keys(out).length === 0)
    problems.push({
      key: 'environments',
      source: sourceUnder(origin, 'environments'),
      message: 'at least one deployment environment must remain',
    });
  return out;
}

/** Every upstream with its URL checked and its header values read; nothing when the schema refused them. */
function resolveUpstreams(
  input: ConfigInput,
  sources: { env: Record<string, string | undefined>; cwd: string },
  origin: Map<string, string>,
  problems: ConfigProblem[],
): Record<string, UpstreamSettings> {
  const out: Record<string, UpstreamSettings> = {};
  const given = (input.gateway as { upstreams?: unknown } | undefined)?.upstreams;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return out;
  for (const [name, upstream] of Object.entries(given as Record<string, unknown>)) {
    // One the schema refused is reported by its schema errors; only well-formed ones are resolved.
    if (!upstreamChecker.Check(upstream)) continue;
    const found: { key: string; message: string }[] = [];
    defineOwn(out, name, resolveUpstream(name, upstream as UpstreamInput, sources, found));
    for (const p of found) problems.push({ ...p, source: sourceUnder(origin, `gateway.upstreams.${name}`) });
  }
  return out;
}

function sourceUnder(origin: Map<string, string>, prefix: string): string {
  for (const [key, source] of origin) if (key === prefix || key.startsWith(`${prefix}.`)) return source;
  return 'default';
}

/** Every schema error: TypeBox stops at 8 by default, and one bad logLevel alone yields that many. */
function schemaErrors(value: unknown): ReturnType<typeof checker.Errors> {
  const { maxErrors } = Settings.Get();
  Settings.Set({ maxErrors: Number.MAX_SAFE_INTEGER });
  try {
    return checker.Errors(value);
  } finally {
    Settings.Set({ maxErrors });
  }
}

// The schema's pattern lets through what only looks like an address (`999.1.1.1`, `::1/200`); Fastify would
// throw on it at start-up with a stack trace instead of a configuration error.
function proxyProblems(value: unknown, source: string): ConfigProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry, i) => {
    if (typeof entry !== 'string' || ['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return [];
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const valid =
      family !== 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
    return valid
      ? []
      : [{ key: `trustProxy.${i}`, source, message: `"${entry}" is not an IP address or CIDR` }];
  });
}

function readFileLayer(file: string, problems: ConfigProblem[]): Layer {
  const values = new Map<string, unknown>();
  const source = `file ${file}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    problems.push({ key: '(file)', source, message: reason });
    return { source, values };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push({ key: '(file)', source, message: 'must be a JSON object' });
    return { source, values };
  }
  flatten(parsed as Record<string, unknown>, '', values);
  for (const [key, value] of values) {
    if (numericKeys.has(key) && typeof value === 'string')
      values.set(key, coerceNumber(key, value, source, problems));
  }
  return { source, values };
}

function envLayer(env: Record<string, string | undefined>, problems: ConfigProblem[]): Layer {
  const values = new Map<string, unknown>();
  for (const [name, key] of Object.entries(envKeys)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = listKeys.has(key)
      ? raw
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : raw;
    const source = `env ${name}`;
    if (jsonKeys.has(key)) {
      const parsed = parseJsonObject(raw);
      if (parsed === null) problems.push({ key, source, message: 'must be a JSON object' });
      else flatten(parsed, key, values);
    } else if (numericKeys.has(key)) values.set(key, coerceNumber(key, raw, source, problems));
    else if (booleanKeys.has(key)) {
      const flag = coerceBoolean(key, raw, source, problems);
      if (flag !== undefined) values.set(key, flag);
    } else values.set(key, value);
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('WARDEN_') && !(name in envKeys) && !clientOnlyEnv.has(name)) {
      problems.push({ key: name, source: `env ${name}`, message: 'unknown WARDEN_ variable' });
    }
  }
  return { source: 'env', values };
}

function parseJsonObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Variables that the CLI client reads, not the server; they are allowed beside server settings. */
const clientOnlyEnv = new Set(['WARDEN_URL', 'WARDEN_CONFIG', 'WARDEN_TOKEN']);

// Strict on purpose: `yes`, `on` or a typo must not silently read as false for a security switch. A
// refused value is left out, so the one problem reported names the variable, not a schema type error.
function coerceBoolean(
  key: string,
  raw: string,
  source: string,
  problems: ConfigProblem[],
): boolean | undefined {
  const value = raw.trim();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push({ key, source, message: `"${raw}" is not a boolean (true, false, 1 or 0)` });
  return undefined;
}

function coerceNumber(key: string, raw: string, source: string, problems: ConfigProblem[]): unknown {
  if (decimalKeys.has(key)) {
    if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Number(raw);
    problems.push({ key, source, message: `"${raw}" is not a number` });
    return raw;
  }
  const n = key === 'port' ? (/^\d+$/.test(raw.trim()) ? Number(raw) : null) : parseSize(raw);
  if (n === null) {
    problems.push({ key, source, message: `"${raw}" is not ${key === 'port' ? 'a port number' : 'a size'}` });
    return raw;
  }
  return n;
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    // An empty object is a value (`"qa": {}` names an environment with every default).
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0)
      flatten(v as Record<string, unknown>, key, out);
    else out.set(key, v);
  }
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, part) || typeof node[part] !== 'object' || node[part] === null)
      defineOwn(node, part, {});
    node = node[part] as Record<string, unknown>;
  }
  defineOwn(node, parts[parts.length - 1] as string, value);
}

// Own data properties only: a "__proto__" key in a config file must become an unknown key, not a prototype.
function defineOwn(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

function describeExtra(params: unknown): string {
  const extra = (params as { additionalProperties?: string[] })?.additionalProperties;
  return extra?.length ? extra.join(', ') : '(root)';
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.key}|${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
