export {
  type AttemptDecision,
  type AttemptResult,
  type Backoff,
  backoffDelay,
  decide,
  defaultBackoff,
  retryAfterMs,
} from './retry-policy.js';
export { addressAllowed, ipLiteralOf, maxWebhookUrlLength, parseTargetUrl } from './target-address.js';
export * as webhookErrors from './webhook.errors.js';
export type { WebhookEvent, WebhookEventName } from './webhook.events.js';
export type {
  AttemptFinish,
  HostResolver,
  SendFailure,
  SendOutcome,
  WebhookRequest,
  WebhookSender,
  WebhookStore,
  WebhookStores,
  WebhookUnitOfWork,
} from './webhook.ports.js';
export {
  type CreateEndpointInput,
  createWebhookService,
  maxEndpoints,
  type WebhookAccess,
  type WebhookService,
  type WebhookServiceDeps,
} from './webhook.service.js';
export type * from './webhook.types.js';
export { deliveryStates } from './webhook.types.js';
export type * from './webhook.views.js';
export { describeWebhookEvent } from './webhook-audit.js';
export {
  createWebhookDispatcher,
  type DispatchStores,
  type WebhookDispatcher,
  type WebhookDispatcherDeps,
} from './webhook-dispatcher.js';
export { secretPrefix } from './webhook-secret.js';
export { signatureHeaders, webhookBody } from './webhook-signature.js';
