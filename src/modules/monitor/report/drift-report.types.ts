import type {
  ColumnKind,
  ColumnRole,
  DatasetDrift,
  DriftOptionLevel,
  DriftTestName,
  PredictionSummary,
  ReferenceProfile,
  WindowSummary,
} from '../monitor.types.js';

/** What a drift report is made of: one closed window, its version's reference (if any) and when it was made. */
export interface DriftReportInput {
  summary: WindowSummary;
  reference: ReferenceProfile | null;
  /** ISO-8601 UTC; passed in so the renderer stays pure (same input, same bytes). */
  generatedAt: string;
}

/**
 * A number in the JSON report. JSON has no infinities or NaN, so those are written as the strings
 * `"Infinity"`, `"-Infinity"` and `"NaN"` (the protobuf JSON mapping's convention); every finite number is
 * a JSON number. Only a test's value and statistic can be non-finite (χ² of a category the reference never
 * saw is +Infinity).
 */
export type ReportNumber = number | 'Infinity' | '-Infinity' | 'NaN';

/** One column's drift as the report states it (a `ColumnDrift` with JSON-safe numbers). */
export interface DriftReportColumn {
  column: string;
  role: ColumnRole;
  kind: ColumnKind;
  test: DriftTestName;
  /** A p-value (ks, chisquare, z) or a distance (wasserstein, jensenshannon, psi). */
  value: ReportNumber;
  statistic: ReportNumber | null;
  threshold: number;
  drifted: boolean;
  referenceCount: number;
  currentCount: number;
  /** Which side had no value to compare (then there is no verdict: `drifted` false); null when both had. */
  noData: 'reference' | 'current' | 'both' | null;
  /**
   * Who chose the test and the threshold: Evidently's default rules (`default`, stated in `testSelection`)
   * or the deployment's monitor policy, at its column, kind or global level.
   */
  chosenBy: { test: DriftChoice; threshold: DriftChoice };
}

/** Evidently's default, or the monitor policy level that set a column's test or threshold. */
export type DriftChoice = 'default' | DriftOptionLevel;

/** A column's reference and current proportions on the same bins, at most the report's bin limit of them. */
export interface DriftReportHistogram {
  column: string;
  /** Numeric bins' edges (bins + 1), or null for one bin per category (`labels`). */
  edges: number[] | null;
  labels: string[] | null;
  reference: number[];
  current: number[];
  /**
   * Categories left out to keep the report readable (the ones with the smallest proportions, in both
   * samples), with their summed proportions; null when every category is shown.
   */
  omitted: { categories: number; reference: number; current: number } | null;
}

/** One of Evidently's default rules for choosing a column's test (stated in the report's footer). */
export interface TestSelectionRule {
  kind: ColumnKind;
  /** Whether the rule is for references of more than 1,000 values (present and finite). */
  largeReference: boolean;
  /** The distinct values over both samples the rule covers (max null: no upper bound). */
  distinct: { min: number; max: number | null };
  /** The same condition in words. */
  when: string;
  test: DriftTestName;
  threshold: number;
  /** How the value is compared with the threshold to call drift. */
  driftWhen: 'p <= threshold' | 'p < threshold' | 'value >= threshold';
}

/** Why a report has no drift section: the version has no reference data, or the window was too small. */
export type DriftUnavailable = 'no_reference' | 'not_computed';

/** The JSON drift report (`schemaVersion` 1). Plain data: `JSON.stringify` of it is the document. */
export interface DriftReportDocument {
  schemaVersion: 1;
  generatedAt: string;
  window: {
    id: string;
    environment: string;
    model: string;
    version: number;
    digest: string;
    start: string;
    end: string;
    closedBy: WindowSummary['closedBy'];
    requests: number;
    rows: number;
  };
  reference: {
    datasetDigest: string;
    format: ReferenceProfile['format'];
    rows: number;
    columns: { name: string; role: ColumnRole; kind: ColumnKind }[];
  } | null;
  drift: { dataset: DatasetDrift; columns: DriftReportColumn[] } | null;
  /** Null when `drift` is present. */
  driftUnavailable: DriftUnavailable | null;
  histograms: DriftReportHistogram[];
  prediction: PredictionSummary | null;
  labels: { count: number; accuracy: number | null; f1: number | null };
  testSelection: TestSelectionRule[];
}
