import type { WebhookEventType } from '../outbox/index.js';

/** What an endpoint subscribes to: event types, or `*` for every event (present and future). */
export type EventSelector = WebhookEventType | '*';

/** A registered endpoint as stored. Its secret is stored wrapped by the key provider, never in the clear. */
export interface EndpointRecord {
  /** UUIDv7. */
  id: string;
  url: string;
  events: EventSelector[];
  description: string | null;
  /** The signing secret's raw bytes wrapped by a KEK, bound to the endpoint id; null once removed. */
  secret: WrappedSecret | null;
  /** `whsec_` and the first characters of the secret: enough to tell two apart, not to sign. */
  secretHint: string;
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
  removedAt: string | null;
  removedBy: string | null;
}

export interface WrappedSecret {
  kekId: string;
  /** Base64 of what KeyProvider.wrap returned. */
  wrapped: string;
}

export const deliveryStates = ['pending', 'delivered', 'failed', 'cancelled'] as const;
/**
 * pending: waiting for its next attempt (or in one); delivered: a 2xx answer; failed: a permanent refusal or
 * the last attempt failed; cancelled: the endpoint was removed first.
 */
export type DeliveryState = (typeof deliveryStates)[number];

/** One event on its way to one endpoint: created when the event is fanned out, then updated per attempt. */
export interface DeliveryRecord {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: WebhookEventType;
  state: DeliveryState;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due; null once the delivery is final. */
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** One attempt of a delivery, as the delivery log keeps it. */
export interface AttemptRecord {
  deliveryId: string;
  /** 1, 2, 3… */
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** The HTTP status the receiver answered; null when there was no answer. */
  status: number | null;
  /** Why the attempt failed without an answer (or why its answer was not a success); null on success. */
  error: string | null;
}
