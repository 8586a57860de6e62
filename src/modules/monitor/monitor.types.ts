/**
 * What the monitoring module's parts hand each other: a version's reference profile, a window's
 * summary, a column's drift, a detector's reading and an alert. Plain JSON-able data (stored as JSON,
 * sent over the API as it is).
 */

/** How a column is compared: numbers (KS, Wasserstein…) or categories (chi-square, Z, Jensen–Shannon). */
export type ColumnKind = 'numeric' | 'categorical';

/**
 * What a column is to the model: an input feature, the model's prediction, a predicted probability (one
 * column per class), the ground truth (never seen at serving time; only delayed labels give it), or a
 * column monitoring leaves out.
 */
export type ColumnRole = 'feature' | 'prediction' | 'probability' | 'target' | 'ignored';

/** Where a column's values are in an observation (the gateway's record of one successful request). */
export interface ColumnSource {
  side: 'input' | 'output';
  /** The tensor's name in the model's signature. */
  tensor: string;
  /**
   * The position along the tensor's last axis (a [N, 4] input holds four feature columns: 0…3); null when
   * each row of the tensor is one value of this column (a [N] or [N, 1] tensor).
   */
  index: number | null;
}

export interface ColumnSpec {
  name: string;
  role: ColumnRole;
  kind: ColumnKind;
  /** Where serving traffic carries it; null for a column the model never sees or answers (the target). */
  source: ColumnSource | null;
}

/** A column's values: a bounded uniform sample, with the counts of everything seen. */
export interface ColumnSample {
  kind: ColumnKind;
  /** Values seen that were present and finite (not only those kept). */
  count: number;
  /** Values seen that were missing, empty or not finite (dropped before any statistic). */
  missing: number;
  /** A uniform random sample (reservoir) of at most the configured size; every value when fewer. */
  values: number[] | string[];
}

/** A version's reference data as monitoring uses it: column roles and one bounded sample per column. */
export interface ReferenceProfile {
  /** SHA-256 (hex) of the dataset file as it was uploaded; the stored artifact's digest. */
  datasetDigest: string;
  format: 'csv' | 'parquet' | 'jsonl';
  /** Rows in the file. */
  rows: number;
  columns: ColumnSpec[];
  /** By column name, every column whose role is not `ignored`. */
  samples: Record<string, ColumnSample>;
  /**
   * `model`: the dataset held no prediction or probability column, so Warden ran the version's own model on
   * a sample of its rows and added the answers (what prediction drift compares with). Absent: from the dataset.
   */
  answersFrom?: 'model';
}

/** The drift tests (Evidently's names in the comments): ks, chisquare, z, wasserstein (normed), jensenshannon, psi. */
export type DriftTestName = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';

/**
 * Where a deployment's monitor policy set a column's drift test or threshold: the column's own entry
 * (`drift.columns.<name>`), its kind's (`drift.numeric`, `drift.categorical`) or the top level (`drift`).
 */
export type DriftOptionLevel = 'column' | 'kind' | 'global';

/** One column's drift in one window: the test Evidently's rules (or the monitor policy) chose, its value and its verdict. */
export interface ColumnDrift {
  column: string;
  role: ColumnRole;
  kind: ColumnKind;
  test: DriftTestName;
  /** A p-value (ks, chisquare, z: drift when at or below the threshold) or a distance (the others: drift when at or above). */
  value: number;
  /** The test statistic (D, χ², z), null for distances. */
  statistic: number | null;
  threshold: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  /**
   * Set when a side had no value to compare (nothing present and finite): no verdict, so `drifted` is false,
   * `value` the test's no-drift value (p 1, distance 0) and `statistic` null; not counted in dataset drift.
   */
  noData?: 'reference' | 'current' | 'both';
  /** Set when the monitor policy chose the test or the threshold (absent fields: Evidently's default). */
  chosenBy?: { test?: DriftOptionLevel; threshold?: DriftOptionLevel };
}

/** The dataset-level verdict: the share of drifted columns against its threshold (Evidently: 0.5). */
export interface DatasetDrift {
  columns: number;
  drifted: number;
  share: number;
  threshold: number;
  detected: boolean;
}

/** A histogram of one column, reference against current, on the same bins (the console and report draw it). */
export interface ColumnHistogram {
  column: string;
  /** Numeric bins' edges (bins + 1 of them), or null for one bin per category (`labels`). */
  edges: number[] | null;
  labels: string[] | null;
  reference: number[];
  current: number[];
}

/** What the model answered over a window: the inputs of the output detectors. */
export interface PredictionSummary {
  /** Rows with a prediction. */
  rows: number;
  /** Distinct predictions / rows (0…1); a model that answers the same to everything tends to 1/rows. */
  uniqueRatio: number;
  /** The most frequent prediction and its share of rows. */
  topClass: string | null;
  topClassShare: number;
  /** Mean of each row's highest predicted probability; null when the model gives no probabilities. */
  meanConfidence: number | null;
}

/** One closed window of one deployment's traffic on one digest, as it is stored (never the raw requests). */
export interface WindowSummary {
  id: string;
  environment: string;
  model: string;
  version: number;
  digest: string;
  /** ISO-8601 UTC: the first and last observation's times (start = end = the close time when empty). */
  start: string;
  end: string;
  /** Why it closed: it reached the configured count, its time ran out, or the process stopped. */
  closedBy: 'count' | 'time' | 'shutdown';
  /** Requests (observations) and rows (a request may carry several). */
  requests: number;
  rows: number;
  /** Null when the version has no reference, or the window has fewer rows than drift needs. */
  drift: { columns: ColumnDrift[]; dataset: DatasetDrift } | null;
  histograms: ColumnHistogram[];
  prediction: PredictionSummary | null;
  /** Filled as delayed ground-truth labels arrive, by request id. */
  labels: { count: number; accuracy: number | null; f1: number | null };
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** A detector's reading for one window (or one interval of gateway counters). */
export interface DetectorReading {
  /** e.g. `dataset_drift`, `column_drift:petal_length`, `unique_ratio`, `confidence`, `error_rate`, `p99_latency`, `auth_failures`. */
  detector: string;
  value: number;
  threshold: number;
  /** True when the value is on the wrong side of the threshold. */
  breached: boolean;
  /**
   * Which side of the threshold is bad: `above` (a maximum: error rate, drift share, a drift distance) or
   * `below` (a minimum: confidence, unique ratio, a drift test's p-value).
   */
  direction: 'above' | 'below';
}

/**
 * A reading as it is stored and served: JSON carries no NaN or ±Infinity, so a value or threshold that was
 * not a finite number is `null` (the reading's `breached` is kept as the detector decided it).
 */
export interface StoredReading extends Omit<DetectorReading, 'value' | 'threshold'> {
  value: number | null;
  threshold: number | null;
}

/** One evaluation's readings: a closed window's (`window`) or a minute of gateway counters' (`interval`). */
export interface ReadingsRecord {
  environment: string;
  model: string;
  /** The window read; null for an interval. */
  windowId: string | null;
  /** When the alert engine read it (ISO-8601 UTC). */
  at: string;
  digest: string;
  version: number;
  kind: 'window' | 'interval';
  readings: StoredReading[];
}

/** An alert: a rule that fired for a deployment, until it resolves. */
export interface Alert {
  id: string;
  environment: string;
  model: string;
  rule: string;
  severity: AlertSeverity;
  state: 'firing' | 'resolved';
  /** The reading that fired it, and the latest one. */
  value: number;
  threshold: number;
  firedAt: string;
  resolvedAt: string | null;
  /** The window that fired it (null for rules on gateway counters). */
  windowId: string | null;
  digest: string;
  version: number;
}
