import { parseCoarseningConfig, parseRedactionConfig } from '../guards/index.js';
import type { GuardName, GuardPolicy, RateLimitPolicy } from './guard-policy.js';
import {
  checkExtractionConfig,
  checkProfile,
  checkScreeningConfig,
  isObject,
  knownKeys,
  type PolicyProblem,
  type Problems,
  typeName,
} from './guard-policy-sections.js';

export type { PolicyProblem } from './guard-policy-sections.js';

/**
 * What an operator sets for one deployment: only the fields given, each replacing the default's (a
 * section's `config` is laid over the default config key by key). Stored as it was given.
 */
export type GuardPolicyDocument = {
  [S in keyof GuardPolicy]?: { [K in keyof GuardPolicy[S]]?: unknown };
};

export interface PolicyBounds {
  /** The gateway's own row limit (`gateway.maxRows`): a deployment may lower it, never raise it. */
  maxRows: number;
  /** The configured default rate limits (`gateway.rateLimit`), when not the built-in ones. */
  rateLimit?: Pick<RateLimitPolicy, 'perPrincipal' | 'perAddress'>;
}

const MAX_STRING_LENGTH = 16 * 1024 * 1024;

const sections: Record<keyof GuardPolicy, readonly string[]> = {
  validation: ['maxRows', 'maxStringLength'],
  rateLimit: ['enabled', 'perPrincipal', 'perAddress'],
  screening: ['enabled', 'config'],
  redaction: ['enabled', 'config'],
  coarsening: ['enabled', 'config'],
  extraction: ['enabled', 'config', 'profile'],
};

function checkInteger(v: unknown, path: string, min: number, max: number, problems: Problems, note = '') {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max))
    problems.push({ path, message: `must be an integer from ${min} to ${max}${note}` });
}

function checkBucket(v: unknown, path: string, problems: Problems) {
  if (v === null || !knownKeys(v, ['ratePerSecond', 'burst'], path, problems)) return;
  const rate = v.ratePerSecond;
  if (!(typeof rate === 'number' && rate > 0 && rate <= 1_000_000))
    problems.push({ path: `${path}.ratePerSecond`, message: 'must be a number above 0, at most 1000000' });
  checkInteger(v.burst, `${path}.burst`, 1, 10_000_000, problems);
}

const fromGuards = (path: string, errors: readonly string[]): PolicyProblem[] =>
  errors.map((message) => ({ path, message }));

/**
 * Checks a policy document from untrusted JSON: unknown fields, wrong types and out-of-range values, every
 * problem at once, each at its path (`screening.config.flagAt`). The document is returned as given.
 */
export function parseGuardPolicyDocument(
  input: unknown,
  bounds: PolicyBounds,
): { ok: true; document: GuardPolicyDocument } | { ok: false; problems: PolicyProblem[] } {
  const problems: Problems = [];
  if (!knownKeys(input, Object.keys(sections), '', problems)) return { ok: false, problems };
  for (const [name, value] of Object.entries(input)) {
    const known = sections[name as keyof GuardPolicy];
    if (!known) continue;
    const path = name;
    if (!knownKeys(value, known, path, problems)) continue;
    if ('enabled' in value && typeof value.enabled !== 'boolean')
      problems.push({
        path: `${path}.enabled`,
        message: `must be true or false, got ${typeName(value.enabled)}`,
      });
    const config = value.config;
    switch (name) {
      case 'validation':
        if (value.maxRows !== undefined)
          checkInteger(
            value.maxRows,
            'validation.maxRows',
            1,
            bounds.maxRows,
            problems,
            ' (gateway.maxRows)',
          );
        if (value.maxStringLength !== undefined)
          checkInteger(value.maxStringLength, 'validation.maxStringLength', 1, MAX_STRING_LENGTH, problems);
        break;
      case 'rateLimit':
        for (const key of ['perPrincipal', 'perAddress'])
          if (value[key] !== undefined) checkBucket(value[key], `rateLimit.${key}`, problems);
        break;
      case 'screening':
        if (config !== undefined) checkScreeningConfig(config, 'screening.config', problems);
        break;
      case 'redaction':
        if (config !== undefined) {
          const parsed = parseRedactionConfig(config ?? 'null');
          if (!parsed.ok) problems.push(...fromGuards('redaction.config', parsed.errors));
        }
        break;
      case 'coarsening':
        if (config !== undefined) {
          const parsed = parseCoarseningConfig(config ?? 'null');
          if (!parsed.ok) problems.push(...fromGuards('coarsening.config', parsed.errors));
          else if (isObject(config) && config.mode === 'off')
            problems.push({
              path: 'coarsening.config.mode',
              message: 'to turn coarsening off, set coarsening.enabled to false (with a reason)',
            });
        }
        break;
      case 'extraction':
        if (config !== undefined) checkExtractionConfig(config, 'extraction.config', problems);
        if (value.profile !== undefined) checkProfile(value.profile, 'extraction.profile', problems);
        break;
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, document: input as GuardPolicyDocument };
}

/** The effective policy: the defaults with the document laid over them. */
export function applyGuardPolicy(defaults: GuardPolicy, document: GuardPolicyDocument): GuardPolicy {
  const merged = structuredClone(defaults) as unknown as Record<string, Record<string, unknown>>;
  for (const [name, section] of Object.entries(document)) {
    const target = merged[name];
    if (!target || !isObject(section)) continue;
    for (const [key, value] of Object.entries(section))
      target[key] =
        key === 'config' && isObject(value) && isObject(target.config)
          ? { ...target.config, ...value }
          : value;
  }
  return merged as unknown as GuardPolicy;
}

/** The dotted paths the document sets (`screening.enabled`, `coarsening.config.decimals`). */
export function overriddenPaths(document: GuardPolicyDocument): string[] {
  const paths: string[] = [];
  for (const [name, section] of Object.entries(document))
    for (const [key, value] of Object.entries(section ?? {})) {
      if (key === 'config' && isObject(value))
        for (const k of Object.keys(value)) paths.push(`${name}.config.${k}`);
      else paths.push(`${name}.${key}`);
    }
  return paths.sort();
}

/**
 * What a document weakens, which needs a reason: each guard it turns off, and screening in monitor mode
 * (it never blocks).
 */
export function weakenings(document: GuardPolicyDocument): string[] {
  const out: string[] = [];
  for (const name of ['rateLimit', 'screening', 'redaction', 'coarsening', 'extraction'] as GuardName[])
    if (document[name]?.enabled === false) out.push(`${name} off`);
  const screening = document.screening?.config;
  if (isObject(screening) && screening.mode === 'monitor') out.push('screening in monitor mode');
  return out;
}

/** The guards a policy leaves on and off, for the audit entry. */
export function guardStates(policy: GuardPolicy): Record<GuardName, boolean> {
  return {
    rateLimit: policy.rateLimit.enabled,
    screening: policy.screening.enabled,
    redaction: policy.redaction.enabled,
    coarsening: policy.coarsening.enabled,
    extraction: policy.extraction.enabled,
  };
}
