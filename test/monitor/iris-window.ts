import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import {
  type ColumnSample,
  type ColumnSpec,
  columnDrift,
  columnHistogram,
  datasetDrift,
  type PredictionSummary,
  type ReferenceProfile,
  type WindowSummary,
} from '../../src/modules/monitor/index.js';

/** The demo model's reference data (120 rows: four measurements in cm and the species). */
const irisCsv = new URL('../../examples/iris/data/reference.csv', import.meta.url);
type Row = Record<string, string>;
const irisBytes = readFileSync(irisCsv);
export const irisRows: Row[] = parse(irisBytes.toString('utf8'), { columns: true });

export const irisColumns: ColumnSpec[] = [
  ...['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map(
    (name, index): ColumnSpec => ({
      name,
      role: 'feature',
      kind: 'numeric',
      source: { side: 'input', tensor: 'input', index },
    }),
  ),
  {
    name: 'species',
    role: 'prediction',
    kind: 'categorical',
    source: { side: 'output', tensor: 'label', index: null },
  },
];

function sampleOf(rows: Row[], spec: ColumnSpec): ColumnSample {
  const raw = rows.map((row) => row[spec.name] ?? '');
  const values = spec.kind === 'numeric' ? raw.map(Number) : raw;
  return { kind: spec.kind, count: values.length, missing: 0, values } as ColumnSample;
}

/** The reference profile of the iris CSV (every row kept: it is smaller than any reservoir). */
export function irisReference(columns = irisColumns): ReferenceProfile {
  return {
    datasetDigest: createHash('sha256').update(irisBytes).digest('hex'),
    format: 'csv',
    rows: irisRows.length,
    columns,
    samples: Object.fromEntries(columns.map((spec) => [spec.name, sampleOf(irisRows, spec)])),
  };
}

/** The iris rows with each named column moved by a constant (petal length + 2 cm is the shift). */
export function shifted(shifts: Record<string, number>, rows = irisRows): Row[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        key in shifts ? String(Number(value) + (shifts[key] ?? 0)) : value,
      ]),
    ),
  );
}

function predictionOf(sample: ColumnSample): PredictionSummary {
  const counts = new Map<string, number>();
  for (const value of sample.values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  const [topClass, top] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [null, 0];
  const rows = sample.values.length;
  return { rows, uniqueRatio: counts.size / rows, topClass, topClassShare: top / rows, meanConfidence: 0.91 };
}

/**
 * A closed window whose traffic is `current` (iris-shaped rows), compared with `reference` by the module's
 * real statistics: Evidently's test per column, the dataset verdict and the histograms the report draws.
 */
export function windowOf(
  current: Row[],
  reference: ReferenceProfile = irisReference(),
  overrides: Partial<WindowSummary> = {},
): WindowSummary {
  const samples = reference.columns.map((spec) => ({ spec, sample: sampleOf(current, spec) }));
  const columns = samples.map(({ spec, sample }) =>
    columnDrift(spec, reference.samples[spec.name] as ColumnSample, sample),
  );
  const prediction = samples.find(({ spec }) => spec.role === 'prediction');
  return {
    id: '01JEXAMPLEWINDOW0000000001',
    environment: 'production',
    model: 'iris',
    version: 2,
    digest: `sha256:${'ab'.repeat(32)}`,
    start: '2026-12-07T14:00:00.000Z',
    end: '2026-12-07T14:04:59.000Z',
    closedBy: 'count',
    requests: current.length,
    rows: current.length,
    drift: { columns, dataset: datasetDrift(columns) },
    histograms: samples.map(({ spec, sample }) =>
      columnHistogram(spec.name, reference.samples[spec.name] as ColumnSample, sample),
    ),
    prediction: prediction ? predictionOf(prediction.sample) : null,
    labels: { count: 40, accuracy: 0.875, f1: 0.8612 },
    ...overrides,
  };
}
