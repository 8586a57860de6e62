export * as monitorAlertErrors from './alerts/alert.errors.js';
export type { MonitorEvent } from './alerts/alert.events.js';
export type {
  AlertQuery,
  AlertRecord,
  AlertRollback,
  MonitorAlertStore,
  MonitorAlertStores,
  MonitorPolicyRecord,
} from './alerts/alert.ports.js';
export { describeMonitorEvent } from './alerts/alert-audit.js';
export {
  type AlertEngine,
  type AlertEngineDeps,
  type AlertPage,
  createAlertEngine,
  type IntervalSample,
} from './alerts/alert-engine.js';
export type { AlertMetrics } from './alerts/alert-metrics.port.js';
export { freshState, type RuleState, step, type Transition } from './alerts/alert-state.js';
export type { RollbackActions } from './alerts/auto-rollback.js';
export { checkDriftPolicy, driftPolicyWarnings } from './alerts/drift-policy-check.js';
export {
  type AlertRule,
  checkPolicyDocument,
  defaultRules,
  type MonitorPolicy,
  type MonitorPolicyDocument,
  type PolicyProblem,
  resolvePolicy,
} from './alerts/monitor-policy.js';
export {
  createMonitorPolicyService,
  type MonitorPolicyService,
  type MonitorPolicyView,
} from './alerts/monitor-policy.service.js';
export {
  type DetectorName,
  type DetectorThresholds,
  defaultThresholds,
  detectorNames,
  ruleOf,
} from './detectors/detector-thresholds.js';
export { createGatewayIntervals, type GatewayIntervalDeps } from './detectors/gateway-intervals.js';
export { type IntervalCounters, intervalReadings } from './detectors/interval-detectors.js';
export { referenceConfidence, windowReadings } from './detectors/window-detectors.js';
export { type ColumnDriftOptions, columnDrift } from './drift/column-drift.js';
export { columnHistogram, maxHistogramBins, otherLabel } from './drift/column-histogram.js';
export { datasetDrift, defaultDatasetDriftThreshold } from './drift/dataset-drift.js';
export {
  type DriftPolicy,
  type DriftTestOptions,
  driftTestNames,
  numericOnlyTests,
  type ResolvedDriftOptions,
  resolveDriftOptions,
} from './drift/drift-options.js';
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
  type WindowView,
} from './monitor-reads.js';
export { buildProfile, type ProfileOptions } from './reference/build-profile.js';
export {
  type AssignedColumn,
  assignRoles,
  type ModelSignature,
  targetNames,
} from './reference/column-roles.js';
export { datasetContentTypes, datasetFormat } from './reference/dataset-format.js';
export {
  createRowReservoir,
  type ScoringLayout,
  scoringLayout,
  withModelAnswers,
} from './reference/model-answers.js';
export * as referenceErrors from './reference/reference.errors.js';
export { describeReferenceEvent, type ReferenceEvent } from './reference/reference.events.js';
export type * from './reference/reference.ports.js';
export {
  createReferenceService,
  type ReferenceService,
  type ReferenceServiceDeps,
  type ReferenceUpload,
} from './reference/reference.service.js';
export type { ReferenceView } from './reference/reference.views.js';
export { columnRoles, parseRoleOverrides } from './reference/role-overrides.js';
export type * from './report/drift-report.types.js';
export { driftReportJson } from './report/drift-report-json.js';
export { driftReportCsp, renderDriftReport } from './report/render-drift-report.js';
export { reportCategoryLimit } from './report/report-histogram.js';
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
