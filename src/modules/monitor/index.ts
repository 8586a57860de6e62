export { type ColumnDriftOptions, columnDrift } from './drift/column-drift.js';
export { columnHistogram, maxHistogramBins, otherLabel } from './drift/column-histogram.js';
export { datasetDrift, defaultDatasetDriftThreshold } from './drift/dataset-drift.js';
export {
  defaultDriftTest,
  defaultThreshold,
  isDrift,
  largeReferenceCount,
  pValueTests,
} from './drift/drift-test-selection.js';
export * as monitorErrors from './monitor.errors.js';
export type {
  MonitorWindowStore,
  PostedLabel,
  ReferenceProfiles,
  WindowRecord,
} from './monitor.ports.js';
export {
  createMonitorService,
  type MonitorService,
  type MonitorServiceDeps,
  type MonitorSettings,
  type WindowListener,
} from './monitor.service.js';
export type * from './monitor.types.js';
export { createMonitorPermissions, type MonitorTarget } from './monitor-permissions.js';
export {
  createMonitorReads,
  type MonitorReadDeps,
  type MonitorReads,
  type MonitorState,
  type MonitorStatus,
} from './monitor-reads.js';
export {
  type BinnedProportions,
  binnedProportions,
  distinctValuesBinThreshold,
  histogramProportions,
  sturgesEdges,
} from './statistics/binned-proportions.js';
export { chiSquare, type TestResult } from './statistics/chi-square.js';
export { jensenShannon, jensenShannonOf } from './statistics/jensen-shannon.js';
export { kolmogorovSf } from './statistics/kolmogorov-distribution.js';
export { type KsResult, ksExactMaxN, ksStatistic, ksTwoSample } from './statistics/kolmogorov-smirnov.js';
export {
  type DistanceResult,
  normedWasserstein,
  wassersteinDistance,
} from './statistics/normed-wasserstein.js';
export { psi, smoothed } from './statistics/psi.js';
export {
  type CategoricalSample,
  finiteValues,
  type NumericSample,
  type PreparedSample,
  preparePair,
  type Sample,
} from './statistics/samples.js';
export { smirnov } from './statistics/smirnov.js';
export { zTest } from './statistics/z-test.js';
export { type Cell, columnCells, inferColumns, monitoredColumns } from './windows/column-values.js';
export { type LabelPair, labelMetrics } from './windows/label-metrics.js';
export { createReservoir, type Reservoir } from './windows/reservoir.js';
export {
  type ClosedWindow,
  createWindowAccumulator,
  type RequestPrediction,
  type WindowLimits,
} from './windows/window-accumulator.js';
export type { LiveDigest } from './windows/window-keeper.js';
