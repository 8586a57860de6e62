import {
  type DetectorName,
  type DetectorThresholds,
  defaultThresholds,
  detectorNames,
} from '../detectors/detector-thresholds.js';
import type { DriftPolicy } from '../drift/drift-options.js';
import type { AlertSeverity, ColumnSpec } from '../monitor.types.js';
import { checkDriftPolicy, type PolicyProblem } from './drift-policy-check.js';

export type { PolicyProblem } from './drift-policy-check.js';

/** What turns a detector's breaches into an alert: its severity, how long it must last, how it resolves. */
export interface AlertRule {
  enabled: boolean;
  severity: AlertSeverity;
  /** Consecutive breached windows (or intervals) before the alert fires. */
  forWindows: number;
  /** Consecutive clean windows before a firing alert resolves. */
  resolveAfter: number;
}

/** A deployment's monitor policy with every field resolved. */
export interface MonitorPolicy {
  thresholds: DetectorThresholds;
  rules: Record<DetectorName, AlertRule>;
  /** The drift tests and thresholds chosen instead of Evidently's defaults (`{}`: all defaults). */
  drift: DriftPolicy;
}

/** What an operator sets: only the fields given, each replacing the default's. Stored as given. */
export interface MonitorPolicyDocument {
  thresholds?: Partial<DetectorThresholds>;
  rules?: Partial<Record<DetectorName, Partial<AlertRule>>>;
  drift?: DriftPolicy;
}

export const severities: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** How severe, for "at least this severe" comparisons. */
export const severityRank = (s: AlertSeverity): number => severities.indexOf(s);

const rule = (severity: AlertSeverity, forWindows: number): AlertRule => ({
  enabled: true,
  severity,
  forWindows,
  resolveAfter: 1,
});

export const defaultRules: Readonly<Record<DetectorName, AlertRule>> = Object.freeze({
  dataset_drift: rule('critical', 2),
  column_drift: rule('warning', 3),
  unique_ratio: rule('critical', 2),
  top_class_share: rule('critical', 2),
  confidence: rule('warning', 2),
  confidence_drop: rule('warning', 2),
  error_rate: rule('critical', 2),
  p99_latency_ms: rule('warning', 3),
  auth_failures: rule('warning', 1),
  rate_limited: rule('info', 2),
  screening_blocks: rule('warning', 1),
  extraction_alerts: rule('warning', 1),
});

/** The policy in force: the defaults with the document laid over them field by field. */
export function resolvePolicy(document: MonitorPolicyDocument | null): MonitorPolicy {
  const rules = { ...defaultRules };
  for (const name of detectorNames) rules[name] = { ...defaultRules[name], ...document?.rules?.[name] };
  return {
    thresholds: { ...defaultThresholds, ...document?.thresholds },
    rules,
    drift: document?.drift ?? {},
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Shares and ratios are 0…1; the rest are counts or milliseconds, never negative. */
const unitThresholds = new Set<keyof DetectorThresholds>([
  'driftShare',
  'uniqueRatioMin',
  'topClassShareMax',
  'confidenceMin',
  'confidenceDropMax',
  'errorRateMax',
]);

function checkThresholds(v: unknown, problems: PolicyProblem[]) {
  if (!isObject(v)) return problems.push({ path: 'thresholds', message: 'must be an object' });
  for (const [key, value] of Object.entries(v)) {
    const path = `thresholds.${key}`;
    if (!(key in defaultThresholds)) problems.push({ path, message: 'is not a detector threshold' });
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      problems.push({ path, message: 'must be a finite number, at least 0' });
    else if (unitThresholds.has(key as keyof DetectorThresholds) && value > 1)
      problems.push({ path, message: 'must be at most 1 (a share)' });
  }
}

function checkRule(path: string, v: unknown, problems: PolicyProblem[]) {
  if (!isObject(v)) return problems.push({ path, message: 'must be an object' });
  for (const [key, value] of Object.entries(v)) {
    const at = `${path}.${key}`;
    if (key === 'enabled') {
      if (typeof value !== 'boolean') problems.push({ path: at, message: 'must be true or false' });
    } else if (key === 'severity') {
      if (!severities.includes(value as AlertSeverity))
        problems.push({ path: at, message: `must be one of ${severities.join(', ')}` });
    } else if (key === 'forWindows' || key === 'resolveAfter') {
      if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000))
        problems.push({ path: at, message: 'must be an integer from 1 to 1000' });
    } else problems.push({ path: at, message: 'is not a rule field' });
  }
}

/**
 * Every problem of a policy document from untrusted JSON at once, each at its path (`rules.confidence.forWindows`):
 * unknown fields and detectors, wrong types, numbers out of range, drift tests a column kind cannot take.
 * `columns`: the live versions' reference columns, when known (see `checkDriftPolicy`). Empty when valid.
 */
export function checkPolicyDocument(
  document: unknown,
  columns: readonly ColumnSpec[] | null = null,
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!isObject(document)) return [{ path: '', message: 'must be an object' }];
  for (const [key, value] of Object.entries(document)) {
    if (key === 'thresholds') checkThresholds(value, problems);
    else if (key === 'rules') {
      if (!isObject(value)) problems.push({ path: 'rules', message: 'must be an object' });
      else
        for (const [name, r] of Object.entries(value)) {
          if (!(detectorNames as readonly string[]).includes(name))
            problems.push({
              path: `rules.${name}`,
              message: `is not a detector (${detectorNames.join(', ')})`,
            });
          else checkRule(`rules.${name}`, r, problems);
        }
    } else if (key === 'drift') checkDriftPolicy(value, columns, problems);
    else problems.push({ path: key, message: 'is not a policy field (thresholds, rules, drift)' });
  }
  return problems;
}
