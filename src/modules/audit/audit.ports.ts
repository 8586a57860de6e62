import type { Page } from '../../platform/page.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { AuditEntry, AuditHead, AuditQuery, Checkpoint } from './audit.types.js';

/**
 * Persistence of the audit chain, bound to one transaction (or the root connection for reads). It is
 * append-only by construction: there is no method that updates or deletes an entry or a checkpoint.
 */
export interface AuditStore {
  /**
   * Reads the head and holds it until the transaction ends, so concurrent appenders take turns (a row lock
   * where the backend has them; elsewhere transactions are already serialized). Null before the first
   * append on a database whose head row is missing.
   */
  lockHead(): Promise<AuditHead | null>;
  /** Reads the head without locking. */
  head(): Promise<AuditHead | null>;
  insert(entry: AuditEntry): Promise<void>;
  setHead(head: AuditHead): Promise<void>;
  list(query: AuditQuery): Promise<Page<AuditEntry>>;
  /** Entries from `fromSeq` on, in seq order, read `batch` at a time. */
  scan(fromSeq: number, batch: number): AsyncIterable<AuditEntry>;
  count(): Promise<number>;
  insertCheckpoint(checkpoint: Checkpoint): Promise<void>;
  /** Every checkpoint, smallest size first. */
  listCheckpoints(): Promise<Checkpoint[]>;
  latestCheckpoint(): Promise<Checkpoint | null>;
}

/** The stores an audit write needs: the chain, bound to one transaction. */
export interface AuditStores {
  audit: AuditStore;
}

/** The platform's one unit-of-work shape, narrowed to the audit store. */
export type AuditUnitOfWork = UnitOfWork<AuditStores>;
