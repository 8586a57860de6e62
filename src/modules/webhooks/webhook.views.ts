import type { WebhookEventType } from '../outbox/index.js';
import type {
  AttemptRecord,
  DeliveryRecord,
  DeliveryState,
  EndpointRecord,
  EventSelector,
} from './webhook.types.js';

/** An endpoint as listed: never its secret, only the hint. */
export interface EndpointView {
  id: string;
  url: string;
  events: EventSelector[];
  description: string | null;
  secretHint: string;
  createdBy: string;
  createdByName: string | null;
  createdAt: string;
}

/** The answer to a registration: the one time the secret is shown. */
export interface CreatedEndpoint extends EndpointView {
  secret: string;
}

export interface AttemptView {
  attempt: number;
  at: string;
  durationMs: number;
  status: number | null;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  /** The outbox event: the `webhook-id` header of every attempt. */
  eventId: string;
  eventType: WebhookEventType;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  history: AttemptView[];
}

export const endpointView = (e: EndpointRecord): EndpointView => ({
  id: e.id,
  url: e.url,
  events: e.events,
  description: e.description,
  secretHint: e.secretHint,
  createdBy: e.createdBy,
  createdByName: e.createdByName,
  createdAt: e.createdAt,
});

export const deliveryView = (d: DeliveryRecord, attempts: AttemptRecord[]): DeliveryView => ({
  id: d.id,
  endpointId: d.endpointId,
  eventId: d.eventId,
  eventType: d.eventType,
  state: d.state,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  lastDurationMs: d.lastDurationMs,
  nextAttemptAt: d.nextAttemptAt,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  finishedAt: d.finishedAt,
  history: attempts.map((a) => ({
    attempt: a.attempt,
    at: a.startedAt,
    durationMs: a.durationMs,
    status: a.status,
    error: a.error,
  })),
});
