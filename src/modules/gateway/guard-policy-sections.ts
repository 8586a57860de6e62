import {
  compileProfile,
  defaultScreeningConfig,
  resolveExtractionConfig,
  resolveScreeningConfig,
} from '../guards/index.js';

/** One problem with a policy document: where (a dotted path from the document's root) and what. */
export interface PolicyProblem {
  path: string;
  message: string;
}

export type Problems = PolicyProblem[];

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v;

/** Reports every key of `raw` that `known` does not list; true when `raw` is an object at all. */
/** `a.b`, or `b` at the document's root. */
export const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

export function knownKeys(
  raw: unknown,
  known: readonly string[],
  path: string,
  problems: Problems,
): raw is Record<string, unknown> {
  if (!isObject(raw)) {
    problems.push({ path, message: `must be an object, got ${typeName(raw)}` });
    return false;
  }
  for (const key of Object.keys(raw))
    if (!known.includes(key))
      problems.push({ path: join(path, key), message: `unknown field; known: ${known.join(', ')}` });
  return true;
}

const numbers = (v: unknown) => isObject(v) && Object.values(v).every((x) => typeof x === 'number');

/**
 * A screening config from JSON: known keys at every level, the shapes the screener iterates, then its own
 * range checks. Custom rules are code (RegExp patterns, accept functions): a stored policy cannot carry them.
 */
export function checkScreeningConfig(raw: unknown, path: string, problems: Problems): void {
  const d = defaultScreeningConfig;
  if (!knownKeys(raw, Object.keys(d), path, problems)) return;
  const before = problems.length;
  const nested = { rules: d.rules, decode: d.decode, classifier: d.classifier } as const;
  for (const [key, defaults] of Object.entries(nested)) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!knownKeys(value, Object.keys(defaults), `${path}.${key}`, problems)) continue;
    if (key === 'rules' && 'extra' in value)
      problems.push({
        path: `${path}.rules.extra`,
        message: 'custom rules are code (patterns) and cannot be set in a stored policy',
      });
  }
  const rules = isObject(raw.rules) ? raw.rules : {};
  if (
    rules.disabled !== undefined &&
    !(Array.isArray(rules.disabled) && rules.disabled.every((x) => typeof x === 'string'))
  )
    problems.push({ path: `${path}.rules.disabled`, message: 'must be a list of rule ids' });
  if (rules.weights !== undefined && !numbers(rules.weights))
    problems.push({ path: `${path}.rules.weights`, message: 'must map rule ids to numbers' });
  if (
    rules.actions !== undefined &&
    !(isObject(rules.actions) && Object.values(rules.actions).every((x) => typeof x === 'string'))
  )
    problems.push({ path: `${path}.rules.actions`, message: 'must map rule ids to "flag" or "block"' });
  if (
    raw.messageRoles !== undefined &&
    !(isObject(raw.messageRoles) && Object.values(raw.messageRoles).every((x) => typeof x === 'string'))
  )
    problems.push({ path: `${path}.messageRoles`, message: 'must map roles to "user" or "untrusted"' });
  for (const key of ['flagAt', 'blockAt', 'maxInputChars'])
    if (raw[key] !== undefined && typeof raw[key] !== 'number')
      problems.push({ path: `${path}.${key}`, message: `must be a number, got ${typeName(raw[key])}` });
  if (problems.length > before) return;
  try {
    resolveScreeningConfig(raw);
  } catch (err) {
    const text = (err as Error).message.replace(/^invalid screening config: /, '');
    for (const message of text.split('; ')) problems.push({ path, message });
  }
}

const extractionKeys = {
  distances: ['window', 'warmup', 'minCount', 'threshold', 'maxTrim'],
  coverage: ['window', 'minQueries', 'maxNovelty', 'maxFraction', 'span', 'margin', 'maxCells'],
  volume: ['windows', 'buckets'],
  escalation: ['confirmChecks', 'maxStage', 'factor', 'quietMs'],
} as const;

/** Bounds on one deployment's watch: its memory is the gateway's. */
const EXTRACTION_MAX_BYTES = 1024 * 2 ** 20;
const EXTRACTION_MAX_STORED = 100_000;

/** The extraction watch's settings from JSON (the profile is a section of its own). */
export function checkExtractionConfig(raw: unknown, path: string, problems: Problems): void {
  const top = ['maxEntries', 'maxBytes', 'maxStored', 'checkEvery', ...Object.keys(extractionKeys)];
  // `profiles` gets its own message below rather than "unknown".
  if (!knownKeys(raw, [...top, 'profiles'], path, problems)) return;
  if ('profiles' in raw)
    problems.push({ path: `${path}.profiles`, message: 'set extraction.profile instead' });
  const before = problems.length;
  for (const key of ['maxEntries', 'maxBytes', 'maxStored', 'checkEvery'])
    if (raw[key] !== undefined && typeof raw[key] !== 'number')
      problems.push({ path: `${path}.${key}`, message: `must be a number, got ${typeName(raw[key])}` });
  for (const [key, known] of Object.entries(extractionKeys)) {
    const value = raw[key];
    if (value === undefined || !knownKeys(value, known, `${path}.${key}`, problems)) continue;
    for (const [k, v] of Object.entries(value)) {
      if (key === 'volume' && k === 'windows') {
        const ok =
          Array.isArray(v) &&
          v.length <= 8 &&
          v.every((w) => isObject(w) && Object.keys(w).every((x) => x === 'ms' || x === 'max') && numbers(w));
        if (!ok)
          problems.push({ path: `${path}.volume.windows`, message: 'must be up to 8 {"ms", "max"} windows' });
      } else if (typeof v !== 'number')
        problems.push({ path: `${path}.${key}.${k}`, message: `must be a number, got ${typeName(v)}` });
    }
  }
  if (problems.length > before) return;
  if (typeof raw.maxBytes === 'number' && raw.maxBytes > EXTRACTION_MAX_BYTES)
    problems.push({ path: `${path}.maxBytes`, message: `must be at most ${EXTRACTION_MAX_BYTES}` });
  if (typeof raw.maxStored === 'number' && raw.maxStored > EXTRACTION_MAX_STORED)
    problems.push({ path: `${path}.maxStored`, message: `must be at most ${EXTRACTION_MAX_STORED}` });
  try {
    resolveExtractionConfig(raw);
  } catch (err) {
    problems.push({ path, message: (err as Error).message });
  }
}

const MAX_PROFILE_FEATURES = 4096;

/** A model's input profile from JSON (null: none). */
export function checkProfile(raw: unknown, path: string, problems: Problems): void {
  if (raw === null) return;
  if (!knownKeys(raw, ['lo', 'hi', 'bins', 'grid', 'support'], path, problems)) return;
  const before = problems.length;
  const finiteList = (key: string, max: number, integers = false) => {
    const v = raw[key];
    if (
      !Array.isArray(v) ||
      v.length > max ||
      !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!integers || Number.isInteger(x)))
    )
      problems.push({
        path: `${path}.${key}`,
        message: `must be a list of at most ${max} ${integers ? 'integers' : 'finite numbers'}`,
      });
  };
  finiteList('lo', MAX_PROFILE_FEATURES);
  finiteList('hi', MAX_PROFILE_FEATURES);
  finiteList('grid', 8, true);
  if (raw.support !== undefined) finiteList('support', 65_536, true);
  if (typeof raw.bins !== 'number')
    problems.push({ path: `${path}.bins`, message: `must be a number, got ${typeName(raw.bins)}` });
  if (problems.length > before) return;
  try {
    compileProfile(raw as never);
  } catch (err) {
    problems.push({ path, message: (err as Error).message });
  }
}
