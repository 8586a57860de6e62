import type { OutboxEvent } from './outbox.types.js';

/**
 * Persistence of the outbox, bound to one transaction (or the root connection). `append` runs on the
 * transaction of the change that caused the event; the webhook dispatcher reads and marks the rest.
 */
export interface OutboxStore {
  append(event: OutboxEvent): Promise<void>;
  /**
   * Up to `limit` events not yet fanned out, oldest first. On a transaction, where the backend has row
   * locks, they stay locked until it ends and other transactions skip them (SKIP LOCKED), so replicas
   * fanning out at once take different events.
   */
  undispatched(limit: number): Promise<OutboxEvent[]>;
  /** Notes that these events have their deliveries (or that no endpoint wanted them). */
  markDispatched(ids: readonly string[], at: string): Promise<void>;
  /** The events with these ids (any order; unknown ids are left out). */
  find(ids: readonly string[]): Promise<OutboxEvent[]>;
}

/** The stores a change that notifies writes on: the outbox, bound to the change's transaction. */
export interface OutboxStores {
  outbox: OutboxStore;
}
