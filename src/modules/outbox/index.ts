export type { OutboxStore, OutboxStores } from './outbox.ports.js';
export {
  type EventActor,
  type EventData,
  isWebhookEventType,
  type OutboxEvent,
  type OutboxNotice,
  type WebhookEventType,
  webhookEventTypes,
} from './outbox.types.js';
export { outboxEventOf } from './outbox-event.js';
