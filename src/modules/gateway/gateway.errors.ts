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

/** A token bucket of the deployment's rate limits (per caller or per client address) is empty. */
export const rateLimited = defineError(
  'gateway_rate_limited',
  'rate_limited',
  (model: string, scope: 'principal' | 'address', retryAfterSeconds: number) => ({
    message: `rate limit exceeded on model "${model}" for this ${scope === 'principal' ? 'caller' : 'client address'}; retry after ${retryAfterSeconds} s`,
    details: { scope, retryAfterSeconds },
  }),
);
