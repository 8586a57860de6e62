export { cachedAuthenticator } from './auth-cache.js';
export { batchable, batchedSession, batchingRuntime } from './batched-session.js';
export { binaryOutputChoice, encodeBinaryResponse } from './binary-response.js';
export { attachBinaryTensors, BinaryTensorBytes, splitBinaryBody } from './binary-tensors.js';
export { createCoarseningGuard } from './coarsening-guard.js';
export { fromHalf, toHalf, v2DatatypeOf, v2Datatypes } from './datatypes.js';
export {
  createExtractionGuard,
  type ExtractionAlertView,
  type ExtractionGuard,
  featureRows,
} from './extraction-guard.js';
export * as gatewayErrors from './gateway.errors.js';
export type {
  GatewayEvent,
  GatewayEventType,
  GuardEvent,
  GuardStates,
  LoadCheck,
} from './gateway.events.js';
export {
  type BodyOf,
  createGateway,
  digestHeader,
  type Gateway,
  type GatewayDeps,
  type InferenceTarget,
  type InferResult,
  type ModelStatus,
  type SlotStatus,
} from './gateway.service.js';
export { describeGatewayEvent } from './gateway-audit.js';
export type { ChatCompletion } from './gateway-chat.js';
export {
  type GatewayMetrics,
  type InferenceObservation,
  type InferenceOutcome,
  type ModelLoadObservation,
  noGatewayMetrics,
  unknownModel,
} from './gateway-metrics.port.js';
export { createGuardPermissions, type GuardPermissionDeps, type GuardsTarget } from './guard-permissions.js';
export type { ChatMessage, GuardCall, GuardPipeline, InferenceGuard } from './guard-pipeline.js';
export * as guardPolicyErrors from './guard-policy.errors.js';
export {
  defaultCoarsening,
  defaultGuardPolicy,
  defaultRateLimits,
  fixedGuardPolicy,
  type GuardName,
  type GuardPolicy,
  type GuardPolicySource,
  guardNames,
  type RateLimitPolicy,
  type TokenBucket,
  type ValidationPolicy,
} from './guard-policy.js';
export type { GuardPolicyRecord, GuardPolicyStore, GuardPolicyStores } from './guard-policy.ports.js';
export {
  createGuardPolicyService,
  type GuardPolicyService,
  type GuardPolicyServiceDeps,
  type GuardPolicyView,
} from './guard-policy.service.js';
export { createGuardPolicyCache, type GuardPolicyCache } from './guard-policy-cache.js';
export {
  applyGuardPolicy,
  type GuardPolicyDocument,
  overriddenPaths,
  type PolicyBounds,
  type PolicyProblem,
  parseGuardPolicyDocument,
  weakenings,
} from './guard-policy-document.js';
export { encodeTensor, type InferRequest, parseInferRequest, type ResponseTensor } from './infer-request.js';
export { latencyBoundsMs, latencyRatio } from './latency-histogram.js';
export type { ReadVerifiedFiles } from './model-loader.js';
export {
  createObservationBuffer,
  type Observation,
  type ObservationBuffer,
  type ObservedTensor,
  observationGuard,
} from './observation-buffer.js';
export type { RateLimitDecision, RateLimiter } from './rate-limit.port.js';
export { createRateLimitGuard, rateLimitHeaders } from './rate-limit-guard.js';
export { createRedactionGuard, redactedHeader } from './redaction-guard.js';
export type {
  ChatAnswer,
  ChatRequest,
  ElementType,
  ModelFileBytes,
  ModelRuntime,
  RuntimeFor,
  Session,
  Tensor,
  TensorData,
  TensorMeta,
  UpstreamFailureReason,
  UpstreamStatus,
} from './runtime.port.js';
export { elementTypes, UpstreamFailure } from './runtime.port.js';
export { createScreeningGuard, screeningHeader } from './screening-guard.js';
export {
  createServingStats,
  type ModelStats,
  type ServingStats,
  type ServingStatsOptions,
  type ServingStatsWindow,
  type StatsFigures,
  statsMinutes,
} from './serving-stats.js';
export { createServingTable, type ServingTable } from './serving-table.js';
export { v1InstanceCount, v1Predictions, v1RequestBody } from './v1-protocol.js';
