import type { EventSelector } from './webhook.types.js';

/** The audit events the webhooks module emits, each written on the transaction of its change. */
export type WebhookEvent =
  | {
      type: 'webhook.endpoint.created';
      endpointId: string;
      /** The URL as it may be written down: user-info and query values redacted. */
      url: string;
      events: EventSelector[];
    }
  | {
      type: 'webhook.endpoint.removed';
      endpointId: string;
      url: string;
      /** Deliveries still pending, now cancelled. */
      cancelled: number;
    };

export type WebhookEventName = WebhookEvent['type'];
