import { defineError } from '../../platform/errors.js';

/** A request the model's declared signature refuses (the V2 protocol's 400), with the precise reason. */
export const invalidInferenceRequest = defineError(
  'gateway_invalid_input',
  'invalid',
  (reason: string) => reason,
);

/** No model of that name is live in the gateway's environment, or that version is not deployed there. */
export const modelNotServed = defineError(
  'gateway_model_not_found',
  'not_found',
  (model: string, version?: string) =>
    version === undefined
      ? `model "${model}" is not served here`
      : `version ${version} of model "${model}" is not deployed here`,
);

/** The model is live but no verified session of it is loaded yet (or its load was refused). */
export const modelNotReady = defineError(
  'gateway_model_not_ready',
  'unavailable',
  (model: string) => `model "${model}" is not ready`,
);

/** The runtime failed while running a request that passed validation. */
export const inferenceFailed = defineError(
  'gateway_inference_failed',
  'internal',
  () => 'inference failed; quote the request id when reporting it',
);

/** Text screening refused an input or a chat message: which one, and the rule categories (never the text). */
export const inputBlocked = defineError(
  'gateway_input_blocked',
  'invalid',
  (where: string, categories: readonly string[]) =>
    `${where} was refused by text screening (${categories.length > 0 ? categories.join(', ') : 'screening limit reached'})`,
);

/** The extraction watch throttles this principal on this model: only a share of its requests is served. */
export const extractionThrottled = defineError(
  'gateway_extraction_throttled',
  'rate_limited',
  (model: string, share: number) =>
    `requests to model "${model}" are throttled for this caller (about 1 in ${Math.round(1 / share)} is served): its queries look like a model-extraction attack; retry later`,
);

/**
 * A guard could not apply the deployment's settings (coarsening settings that do not fit the model's
 * outputs, say): nothing is returned rather than unguarded outputs.
 */
export const guardFailed = defineError(
  'gateway_guard_failed',
  'internal',
  (guard: string, reason: string) => `the ${guard} guard could not run: ${reason}`,
);

/** The environment asked about is not the one this process's gateway serves. */
export const environmentNotServed = defineError(
  'gateway_environment_not_served',
  'not_found',
  (asked: string, served: string) =>
    `this server's gateway serves environment "${served}", not "${asked}"; ask a gateway serving "${asked}"`,
);

/** The model's answer has no V1 form: an output does not hold one row per instance. */
export const v1Unsupported = defineError(
  'gateway_v1_unsupported',
  'invalid',
  (output: string, rows: number) =>
    `output "${output}" does not hold one row for each of the ${rows} instances, so V1 cannot carry it; use the V2 protocol`,
);

/** A token bucket of the deployment's rate limits (per caller or per client address) is empty. */
export const rateLimited = defineError(
  'gateway_rate_limited',
  'rate_limited',
  (model: string, scope: 'principal' | 'address', retryAfterSeconds: number) => ({
    message: `rate limit exceeded on model "${model}" for this ${scope === 'principal' ? 'caller' : 'client address'}; retry after ${retryAfterSeconds} s`,
    details: { scope, retryAfterSeconds },
  }),
);

/** The upstream model server did not answer within its timeout (504). */
export const upstreamTimeout = defineError(
  'gateway_upstream_timeout',
  'unavailable',
  (detail: string) => detail,
);

/** The upstream model server could not be reached: connection refused, reset or closed (502). */
export const upstreamUnreachable = defineError(
  'gateway_upstream_unreachable',
  'unavailable',
  (detail: string) => detail,
);

/** The upstream answered something the gateway cannot read, or an error status of its own (502). */
export const upstreamBadResponse = defineError(
  'gateway_upstream_bad_response',
  'unavailable',
  (detail: string) => detail,
);

/** The upstream's circuit breaker is open after repeated failures: refused at once, with Retry-After (503). */
export const upstreamCircuitOpen = defineError(
  'gateway_upstream_circuit_open',
  'unavailable',
  (model: string) => `the upstream of model "${model}" is failing; requests are paused for a while`,
);

/** The upstream's concurrency limit is reached: refused at once, with Retry-After (503). */
export const upstreamBusy = defineError(
  'gateway_upstream_busy',
  'unavailable',
  (model: string) => `the upstream of model "${model}" is at its concurrency limit`,
);

/** The upstream refused a request that passed the gateway's validation, as bad input (400). */
export const upstreamRefused = defineError('gateway_upstream_refused', 'invalid', (detail: string) => detail);

/** A chat-completions body the gateway refuses (OpenAI's 400), with the precise reason. */
export const invalidChatRequest = defineError('gateway_invalid_chat', 'invalid', (reason: string) => reason);

/** The model is not of the kind the route serves: a chat model on /v2 infer, a tensor model on chat. */
export const wrongModelKind = defineError(
  'gateway_wrong_model_kind',
  'invalid',
  (model: string, want: 'chat' | 'tensor') =>
    want === 'chat'
      ? `model "${model}" does not take chat requests; send V2 requests to /v2/models/${model}/infer`
      : `model "${model}" is a chat model; send POST /openai/v1/chat/completions with "model": "${model}"`,
);
