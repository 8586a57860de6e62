export { cachedAuthenticator } from './auth-cache.js';
export { binaryOutputChoice, encodeBinaryResponse } from './binary-response.js';
export { attachBinaryTensors, BinaryTensorBytes, splitBinaryBody } from './binary-tensors.js';
export { fromHalf, toHalf, v2DatatypeOf, v2Datatypes } from './datatypes.js';
export * as gatewayErrors from './gateway.errors.js';
export type { GatewayEvent, GatewayEventType, LoadCheck } from './gateway.events.js';
export {
  type BodyOf,
  createGateway,
  digestHeader,
  type Gateway,
  type GatewayDeps,
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
export type { ChatMessage, GuardCall, GuardPipeline, InferenceGuard } from './guard-pipeline.js';
export {
  defaultGuardPolicy,
  defaultRateLimits,
  fixedGuardPolicy,
  type GuardPolicy,
  type GuardPolicySource,
  type RateLimitPolicy,
  type TokenBucket,
  type ValidationPolicy,
} from './guard-policy.js';
export { encodeTensor, type InferRequest, parseInferRequest, type ResponseTensor } from './infer-request.js';
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
export { createServingTable, type ServingTable } from './serving-table.js';
export { v1InstanceCount, v1Predictions, v1RequestBody } from './v1-protocol.js';
