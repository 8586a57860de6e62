import type { ColumnDrift, DatasetDrift, PredictionSummary } from '../monitor.types.js';
import type {
  DriftReportColumn,
  DriftReportDocument,
  DriftReportInput,
  ReportNumber,
} from './drift-report.types.js';
import { reportHistogram } from './report-histogram.js';
import { testSelectionRules } from './test-selection-rules.js';

/** A finite number as itself; ±Infinity and NaN as the strings JSON cannot otherwise carry. */
export function reportNumber(value: number): ReportNumber {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

function reportColumn(drift: ColumnDrift): DriftReportColumn {
  return {
    column: drift.column,
    role: drift.role,
    kind: drift.kind,
    test: drift.test,
    value: reportNumber(drift.value),
    statistic: drift.statistic === null ? null : reportNumber(drift.statistic),
    threshold: drift.threshold,
    drifted: drift.drifted,
    referenceCount: drift.referenceCount,
    currentCount: drift.currentCount,
    noData: drift.noData ?? null,
    chosenBy: {
      test: drift.chosenBy?.test ?? 'default',
      threshold: drift.chosenBy?.threshold ?? 'default',
    },
  };
}

// Copied field by field (not spread) so stored summaries with extra keys cannot change the document.
const datasetOf = ({ columns, drifted, share, threshold, detected }: DatasetDrift): DatasetDrift => ({
  columns,
  drifted,
  share,
  threshold,
  detected,
});

const predictionOf = (p: PredictionSummary): PredictionSummary => ({
  rows: p.rows,
  uniqueRatio: p.uniqueRatio,
  topClass: p.topClass,
  topClassShare: p.topClassShare,
  meanConfidence: p.meanConfidence,
});

/**
 * The drift report of one window as JSON-ready data (`schemaVersion` 1): the same content as the HTML
 * report, keys in a fixed order, no `undefined` and no non-finite number, so `JSON.stringify` of the same
 * input always gives the same bytes. Pure.
 */
export function driftReportJson({ summary, reference, generatedAt }: DriftReportInput): DriftReportDocument {
  return {
    schemaVersion: 1,
    generatedAt,
    window: {
      id: summary.id,
      environment: summary.environment,
      model: summary.model,
      version: summary.version,
      digest: summary.digest,
      start: summary.start,
      end: summary.end,
      closedBy: summary.closedBy,
      requests: summary.requests,
      rows: summary.rows,
    },
    reference:
      reference === null
        ? null
        : {
            datasetDigest: reference.datasetDigest,
            format: reference.format,
            rows: reference.rows,
            columns: reference.columns.map(({ name, role, kind }) => ({ name, role, kind })),
          },
    drift:
      summary.drift === null
        ? null
        : { dataset: datasetOf(summary.drift.dataset), columns: summary.drift.columns.map(reportColumn) },
    driftUnavailable: summary.drift !== null ? null : reference === null ? 'no_reference' : 'not_computed',
    histograms: summary.histograms.map((histogram) => reportHistogram(histogram)),
    prediction: summary.prediction === null ? null : predictionOf(summary.prediction),
    labels: { count: summary.labels.count, accuracy: summary.labels.accuracy, f1: summary.labels.f1 },
    testSelection: testSelectionRules.map((rule) => ({ ...rule, distinct: { ...rule.distinct } })),
  };
}
