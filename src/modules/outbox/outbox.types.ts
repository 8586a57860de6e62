/**
 * The events Warden tells the outside world about (webhooks deliver them). Each is written to the outbox
 * on the transaction of the change that caused it, so it exists exactly when the change does.
 */
export const webhookEventTypes = [
  'version.pushed',
  'deployment.requested',
  'deployment.approval_needed',
  'deployment.applied',
  'deployment.rejected',
  'deployment.rolled_back',
  'canary.changed',
  'monitor.alert.firing',
  'monitor.alert.resolved',
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}

/** A JSON object: what an event's `data` holds (no functions, dates or bigints: it is stored as JSON). */
export type EventData = Record<string, unknown>;

/**
 * What a module's event mapper returns beside the audit wording when a change should reach the outside
 * world: the event type and its data. The access contract adds `actor` to the data (who made the change,
 * from the call context) and writes the event on the change's own transaction.
 */
export interface OutboxNotice {
  type: WebhookEventType;
  data: EventData;
}

/** An event as the outbox stores it, once, until every subscribed endpoint has its delivery. */
export interface OutboxEvent {
  /** UUIDv7: time-ordered, and the `webhook-id` receivers deduplicate on (stable across retries). */
  id: string;
  type: WebhookEventType;
  /** When the change happened (ISO-8601 UTC); the payload's `timestamp`. */
  occurredAt: string;
  data: EventData;
}

/** Who made the change, as the event's `data.actor` names them. */
export interface EventActor {
  /** The exact principal id ("token:…", "oidc:…"), or "system" for changes no caller made. */
  id: string;
  /** The display name, when there is a caller. */
  name: string | null;
}
