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
