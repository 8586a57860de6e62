import { Webhook } from 'standardwebhooks';
import type { OutboxEvent } from '../outbox/index.js';

/** The body every delivery of an event carries, on every attempt: `{type, timestamp, data}` as JSON. */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event.data });
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` is the event's id (the same on every retry, so
 * receivers can drop duplicates), `webhook-timestamp` the attempt's time, `webhook-signature` the HMAC-SHA256
 * over `id.timestamp.body` as `v1,<base64>`.
 */
export function signatureHeaders(
  secret: string,
  eventId: string,
  at: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, at, body),
  };
}
