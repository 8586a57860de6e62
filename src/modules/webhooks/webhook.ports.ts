import type { Page } from '../../platform/page.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { AuditStore } from '../audit/index.js';
import type { OutboxStore } from '../outbox/index.js';
import type {
  AttemptRecord,
  DeliveryRecord,
  DeliveryState,
  EndpointRecord,
  WrappedSecret,
} from './webhook.types.js';

/** How an attempt ends for its delivery: the attempt's log row and the delivery's next state. */
export interface AttemptFinish {
  /** The dispatcher holding the lease: a delivery whose lease passed to another is left alone. */
  owner: string;
  attempt: AttemptRecord;
  state: Exclude<DeliveryState, 'cancelled'>;
  /** When the next attempt is due (state pending); null once final. */
  nextAttemptAt: string | null;
  at: string;
}

/** Persistence of endpoints and the delivery log; every method runs on the executor the store was built on. */
export interface WebhookStore {
  insertEndpoint(endpoint: EndpointRecord): Promise<void>;
  /** The endpoint, removed ones included (their deliveries stay readable). */
  findEndpoint(id: string): Promise<EndpointRecord | null>;
  /** Endpoints not removed, oldest first. */
  listEndpoints(): Promise<EndpointRecord[]>;
  countEndpoints(): Promise<number>;
  /**
   * Replaces a live endpoint's wrapped secret (re-wrapped under another KEK) if it is still `from`; false
   * when it changed or the endpoint was removed meanwhile.
   */
  replaceSecret(id: string, from: WrappedSecret, to: WrappedSecret): Promise<boolean>;
  /** Marks it removed and destroys its wrapped secret; false when it was already removed. */
  removeEndpoint(id: string, at: string, by: string): Promise<boolean>;
  /** Ends the endpoint's pending deliveries as cancelled; returns how many. */
  cancelPending(endpointId: string, at: string): Promise<number>;

  /** Adds deliveries; one whose event and endpoint already have a delivery is skipped (a replica made it). */
  insertDeliveries(deliveries: readonly DeliveryRecord[]): Promise<void>;
  /** Pending deliveries due at `now` whose lease (if any) has run out, soonest first. */
  dueDeliveries(now: string, limit: number): Promise<DeliveryRecord[]>;
  /**
   * Takes the lease on a due delivery: a conditional update that succeeds for one claimant only, while the
   * delivery is pending, due, still at `attempts` and its lease is free or past. False when another
   * dispatcher was first.
   */
  claimDelivery(
    id: string,
    lease: { owner: string; until: string; now: string; attempts: number },
  ): Promise<boolean>;
  /**
   * Records an attempt and moves the delivery on, if `owner` still holds its lease and it is still pending;
   * false (and nothing written) otherwise.
   */
  finishAttempt(id: string, finish: AttemptFinish): Promise<boolean>;
  /** Gives a lease back without an attempt (a dispatcher stopping mid-send): the delivery is due again. */
  releaseLease(id: string, owner: string): Promise<void>;
  /** Newest first; `after` is a delivery id from the previous page. */
  listDeliveries(query: {
    endpointId?: string;
    limit: number;
    after?: string;
  }): Promise<Page<DeliveryRecord>>;
  /** The attempts of these deliveries, in attempt order. */
  listAttempts(deliveryIds: readonly string[]): Promise<AttemptRecord[]>;
}

/** The stores the webhook use cases write: endpoints and deliveries, the outbox, the audit chain. */
export interface WebhookStores {
  webhooks: WebhookStore;
  outbox: OutboxStore;
  audit: AuditStore;
}

export type WebhookUnitOfWork = UnitOfWork<WebhookStores>;

/** What the dispatcher sends: a signed POST. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The whole attempt (connect, send, answer) must end within this. */
  timeoutMs: number;
  /** Aborts the attempt when the dispatcher stops. */
  signal: AbortSignal;
}

/** Why an attempt got no usable answer. `target_address_forbidden` is the connect-time address guard. */
export type SendFailure = 'timeout' | 'connection_failed' | 'dns_failed' | 'target_address_forbidden';

export type SendOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null; durationMs: number }
  | { kind: 'failure'; failure: SendFailure; detail: string | null; durationMs: number }
  /** The dispatcher stopped mid-send: no attempt is recorded, the delivery is due again. */
  | { kind: 'aborted' };

/**
 * Sends one webhook request: http or https, no redirects followed, every address it connects to checked
 * against the target rule (unless private targets are allowed). Never throws for the receiver's failures.
 */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<SendOutcome>;
}

/** Resolves a host name to every address it has (registration checks them all); throws when it has none. */
export interface HostResolver {
  resolve(hostname: string): Promise<string[]>;
}
