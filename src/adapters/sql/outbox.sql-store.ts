import type { Kysely, Selectable } from 'kysely';
import type { OutboxEvent, OutboxStore, WebhookEventType } from '../../modules/outbox/index.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';

/** The outbox table (migration 0011-webhooks); `data` is a JSON object in TEXT. */
export type OutboxTables = {
  outbox_events: OutboxEventsTable;
};

export type OutboxEventsTable = {
  id: string;
  type: string;
  occurred_at: string;
  data: string;
  dispatched_at: string | null;
};

export interface OutboxSqlStoreOptions {
  /** Told of every append, so the unit of work can wake the dispatcher once the transaction commits. */
  onAppend?: () => void;
}

/** The outbox store bound to one connection or transaction. */
export function createOutboxSqlStore(
  executor: Kysely<Database>,
  capabilities: SqlCapabilities,
  options: OutboxSqlStoreOptions = {},
): OutboxStore {
  const db = executor.withTables<OutboxTables>();
  return {
    async append(e) {
      await db
        .insertInto('outbox_events')
        .values({
          id: e.id,
          type: e.type,
          occurred_at: e.occurredAt,
          data: JSON.stringify(e.data),
          dispatched_at: null,
        })
        .execute();
      options.onAppend?.();
    },

    async undispatched(limit) {
      let q = db
        .selectFrom('outbox_events')
        .selectAll()
        .where('dispatched_at', 'is', null)
        .orderBy('id')
        .limit(limit);
      // Replicas fanning out at once take different events; SQLite serializes its writers anyway.
      if (capabilities.rowLocks) q = q.forUpdate().skipLocked();
      return (await q.execute()).map(toEvent);
    },

    async markDispatched(ids, at) {
      if (ids.length === 0) return;
      await db
        .updateTable('outbox_events')
        .set({ dispatched_at: at })
        .where('id', 'in', [...ids])
        .execute();
    },

    async find(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('outbox_events')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(toEvent);
    },
  };
}

function toEvent(row: Selectable<OutboxEventsTable>): OutboxEvent {
  return {
    id: row.id,
    type: row.type as WebhookEventType,
    occurredAt: row.occurred_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
