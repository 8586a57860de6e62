import Type, { type Static } from 'typebox';
import type { DeployEnvironment } from '../modules/deploy/index.js';

const severity = (description: string) =>
  Type.Union(
    [
      Type.Literal('none'),
      Type.Literal('low'),
      Type.Literal('medium'),
      Type.Literal('high'),
      Type.Literal('critical'),
    ],
    { description },
  );

const seconds = (description: string) => Type.Integer({ minimum: 60, maximum: 90 * 86_400, description });

/** The names of the gates Warden ships (policies/gates-builtin.cedar); operators add their own by `@gate`. */
export const builtinGates = ['signature', 'scan', 'metrics', 'provenance', 'vulnerabilities'] as const;

/** A metric threshold: the version's metric must be present and within the bounds given. */
const MetricThreshold = Type.Object(
  {
    min: Type.Optional(Type.Number({ description: 'The metric must be at least this.' })),
    max: Type.Optional(Type.Number({ description: 'The metric must be at most this.' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** One environment's settings as configured: every field optional, filled from the defaults by name. */
export const EnvironmentSchema = Type.Object(
  {
    approvals: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10,
        description: 'Distinct approvals a request needs before it can be applied.',
      }),
    ),
    allowSelfApproval: Type.Optional(
      Type.Boolean({
        description: 'Whether a requester may approve their own request (never where approvals ≥ 2).',
      }),
    ),
    approvalTtlSeconds: Type.Optional(seconds('How long an approval counts after it is given.')),
    requestTtlSeconds: Type.Optional(seconds('How long a request may wait before it expires.')),
    autoApply: Type.Optional(
      Type.Boolean({
        description:
          'Apply a request as soon as its gates pass and it has its approvals (the zero-touch path).',
      }),
    ),
    gates: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), {
        uniqueItems: true,
        maxItems: 50,
        description: `Gates a version must pass (built in: ${builtinGates.join(', ')}; or an operator @gate name).`,
      }),
    ),
    maxScanSeverity: Type.Optional(
      severity('Highest pickle-scan finding severity the scan gate lets through.'),
    ),
    maxVulnSeverity: Type.Optional(
      severity('Highest vulnerability-report finding severity the vulnerabilities gate lets through.'),
    ),
    requireVulnReport: Type.Optional(
      Type.Boolean({ description: 'The vulnerabilities gate needs at least one attached report.' }),
    ),
    metrics: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z0-9_:-]{1,64}$' }), MetricThreshold, {
        description: 'Metric thresholds for the metrics gate, e.g. {"accuracy": {"min": 0.9}}.',
      }),
    ),
    requireDatasets: Type.Optional(
      Type.Boolean({ description: 'Provenance gate: dataset digests recorded.' }),
    ),
    requireTrainingRun: Type.Optional(
      Type.Boolean({ description: 'Provenance gate: a training run recorded.' }),
    ),
    requireSourceCommit: Type.Optional(
      Type.Boolean({ description: 'Provenance gate: a source commit recorded.' }),
    ),
    autoRollback: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(
            Type.Boolean({ description: 'Roll a deployment back when one of its alerts fires.' }),
          ),
          severity: Type.Optional(
            Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')], {
              description: 'The least severe alert that rolls back.',
            }),
          ),
          cooldownMinutes: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 7 * 24 * 60,
              description:
                'Minutes after an automatic rollback during which no other is made for that model.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description: 'Automatic rollback (or canary abort) on a firing monitor alert; off by default.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export type EnvironmentInput = Static<typeof EnvironmentSchema>;
export type { Severity } from '../platform/severity.js';

/** One environment with every setting resolved: the deploy module's own description of it. */
export type EnvironmentSettings = DeployEnvironment;

const day = 86_400;

/** Production's settings, and those of any environment not named dev or staging: strict by default. */
const strict: Omit<EnvironmentSettings, 'name'> = {
  approvals: 2,
  allowSelfApproval: false,
  approvalTtlSeconds: 7 * day,
  requestTtlSeconds: 7 * day,
  autoApply: false,
  gates: [...builtinGates],
  maxScanSeverity: 'none',
  maxVulnSeverity: 'medium',
  requireVulnReport: true,
  metrics: {},
  requireDatasets: true,
  requireTrainingRun: false,
  requireSourceCommit: true,
  autoRollback: { enabled: false, severity: 'critical', cooldownMinutes: 30 },
};

const byName: Record<string, Omit<EnvironmentSettings, 'name'>> = {
  dev: {
    ...strict,
    approvals: 0,
    allowSelfApproval: true,
    autoApply: true,
    gates: ['scan'],
    maxScanSeverity: 'medium',
    maxVulnSeverity: 'critical',
    requireVulnReport: false,
    requireDatasets: false,
    requireSourceCommit: false,
  },
  staging: {
    ...strict,
    approvals: 1,
    allowSelfApproval: false,
    autoApply: true,
    gates: ['signature', 'scan', 'provenance', 'vulnerabilities'],
    maxScanSeverity: 'low',
    maxVulnSeverity: 'high',
    requireVulnReport: false,
    requireSourceCommit: false,
  },
  production: strict,
};

/** The environments offered when the configuration names none: dev, staging and production. */
export const defaultEnvironments: Record<string, EnvironmentInput | null> = {
  dev: {},
  staging: {},
  production: {},
};

/** Fills an environment's unset settings: dev and staging have their own defaults, any other name production's. */
export function resolveEnvironment(name: string, input: EnvironmentInput): EnvironmentSettings {
  const base = byName[name] ?? strict;
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const autoRollback = { ...base.autoRollback, ...structuredClone(input.autoRollback ?? {}) };
  return { name, ...structuredClone(base), ...structuredClone(defined), autoRollback } as EnvironmentSettings;
}

/** Problems a schema cannot express: self-approval where two approvals are needed. */
export function environmentProblems(env: EnvironmentSettings): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  if (env.allowSelfApproval && env.approvals >= 2)
    problems.push({
      key: `environments.${env.name}.allowSelfApproval`,
      message: 'a requester may never approve their own request where two or more approvals are needed',
    });
  for (const [metric, t] of Object.entries(env.metrics))
    if (t.min !== undefined && t.max !== undefined && t.min > t.max)
      problems.push({ key: `environments.${env.name}.metrics.${metric}`, message: 'min is above max' });
  return problems;
}
