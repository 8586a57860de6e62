import Type from 'typebox';

const count = (min: number, max: number, description: string) =>
  Type.Integer({ minimum: min, maximum: max, description });

/**
 * Monitoring's settings: how often it drains the gateway's observations, how windows close, how much of
 * each column it keeps, how reference datasets are bounded, and how long window summaries are kept.
 * (Per-deployment thresholds live in each deployment's monitor policy; automatic rollback is per environment.)
 */
export const MonitorSchema = Type.Object(
  {
    enabled: Type.Boolean({
      description:
        "Whether this process monitors the gateway's traffic (windows, drift, detectors, alerts). Off: observations are not drained.",
    }),
    drainSeconds: count(
      1,
      3_600,
      "How often the monitor takes the gateway's buffered observations into its open windows.",
    ),
    window: Type.Object(
      {
        rows: count(10, 1_000_000, 'A window closes when it holds this many rows…'),
        seconds: count(
          10,
          86_400,
          '…or when this many seconds have passed since it opened, whichever comes first.',
        ),
        minRows: count(
          1,
          1_000_000,
          'Fewest rows a window needs before drift is computed on it (smaller windows report no drift, not false drift).',
        ),
      },
      { additionalProperties: false },
    ),
    sampleSize: count(
      100,
      1_000_000,
      'Values kept per column per window (a uniform reservoir sample); the counts cover every value.',
    ),
    reference: Type.Object(
      {
        maxBytes: Type.Integer({
          minimum: 1024,
          maximum: 64 * 1024 ** 3,
          description: 'Largest reference dataset file accepted (read as a stream; memory stays bounded).',
        }),
        sampleSize: count(
          100,
          1_000_000,
          'Values kept per column from the reference (a uniform reservoir sample); the row count covers every row.',
        ),
      },
      { additionalProperties: false },
    ),
    retentionDays: count(1, 3_650, 'How long window summaries and resolved alerts are kept.'),
  },
  { additionalProperties: false },
);

export const monitorDefaults = {
  enabled: true,
  drainSeconds: 10,
  window: { rows: 1_000, seconds: 300, minRows: 100 },
  sampleSize: 5_000,
  reference: { maxBytes: 1024 ** 3, sampleSize: 20_000 },
  retentionDays: 90,
};
