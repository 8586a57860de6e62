import type { Kysely, Selectable } from 'kysely';
import type { WebhookEventType } from '../../modules/outbox/index.js';
import type {
  AttemptRecord,
  DeliveryRecord,
  DeliveryState,
  EndpointRecord,
  EventSelector,
  WebhookStore,
} from '../../modules/webhooks/index.js';
import type { Page } from '../../platform/page.js';
import type { Database } from './database.js';

/** The webhook tables (migration 0011-webhooks); events are a JSON array in TEXT. */
export type WebhookTables = {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
};

export type WebhookEndpointsTable = {
  id: string;
  url: string;
  events: string;
  description: string | null;
  secret_kek_id: string | null;
  secret_wrapped: string | null;
  secret_hint: string;
  created_by: string;
  created_by_name: string | null;
  created_at: string;
  removed_at: string | null;
  removed_by: string | null;
};

export type WebhookDeliveriesTable = {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  leased_until: string | null;
  lease_owner: string | null;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
};

export type WebhookAttemptsTable = {
  delivery_id: string;
  attempt: number;
  started_at: string;
  duration_ms: number;
  status: number | null;
  error: string | null;
};

/** The webhook store bound to one connection or transaction. */
export function createWebhookSqlStore(executor: Kysely<Database>): WebhookStore {
  const db = executor.withTables<WebhookTables>();
  return {
    async insertEndpoint(e) {
      await db
        .insertInto('webhook_endpoints')
        .values({
          id: e.id,
          url: e.url,
          events: JSON.stringify(e.events),
          description: e.description,
          secret_kek_id: e.secret?.kekId ?? null,
          secret_wrapped: e.secret?.wrapped ?? null,
          secret_hint: e.secretHint,
          created_by: e.createdBy,
          created_by_name: e.createdByName,
          created_at: e.createdAt,
          removed_at: e.removedAt,
          removed_by: e.removedBy,
        })
        .execute();
    },

    async findEndpoint(id) {
      const row = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toEndpoint(row) : null;
    },

    async listEndpoints() {
      const rows = await db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('removed_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toEndpoint);
    },

    async countEndpoints() {
      const row = await db
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async replaceSecret(id, from, to) {
      const result = await db
        .updateTable('webhook_endpoints')
        .set({ secret_kek_id: to.kekId, secret_wrapped: to.wrapped })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .where('secret_kek_id', '=', from.kekId)
        .where('secret_wrapped', '=', from.wrapped)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async removeEndpoint(id, at, by) {
      const result = await db
        .updateTable('webhook_endpoints')
        .set({ removed_at: at, removed_by: by, secret_kek_id: null, secret_wrapped: null })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async cancelPending(endpointId, at) {
      const result = await db
        .updateTable('webhook_deliveries')
        .set({
          state: 'cancelled',
          last_error: 'endpoint_removed',
          next_attempt_at: null,
          updated_at: at,
          finished_at: at,
        })
        .where('endpoint_id', '=', endpointId)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async insertDeliveries(deliveries) {
      if (deliveries.length === 0) return;
      await db
        .insertInto('webhook_deliveries')
        .values(
          deliveries.map((d) => ({
            id: d.id,
            event_id: d.eventId,
            endpoint_id: d.endpointId,
            event_type: d.eventType,
            state: d.state,
            attempts: d.attempts,
            next_attempt_at: d.nextAttemptAt,
            leased_until: null,
            lease_owner: null,
            last_status: d.lastStatus,
            last_error: d.lastError,
            last_duration_ms: d.lastDurationMs,
            created_at: d.createdAt,
            updated_at: d.updatedAt,
            finished_at: d.finishedAt,
          })),
        )
        .onConflict((oc) => oc.columns(['event_id', 'endpoint_id']).doNothing())
        .execute();
    },

    async dueDeliveries(now, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('state', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<', now)]))
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toDelivery);
    },

    async claimDelivery(id, lease) {
      // One statement, its condition re-checked under the row's write lock: of two claimants, one
      // updates the row and the other finds the lease taken (0 rows), on SQLite and PostgreSQL alike.
      const result = await db
        .updateTable('webhook_deliveries')
        .set({ leased_until: lease.until, lease_owner: lease.owner })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('attempts', '=', lease.attempts)
        .where('next_attempt_at', '<=', lease.now)
        .where((eb) => eb.or([eb('leased_until', 'is', null), eb('leased_until', '<', lease.now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async finishAttempt(id, f) {
      const result = await db
        .updateTable('webhook_deliveries')
        .set({
          state: f.state,
          attempts: f.attempt.attempt,
          next_attempt_at: f.nextAttemptAt,
          leased_until: null,
          lease_owner: null,
          last_status: f.attempt.status,
          last_error: f.attempt.error,
          last_duration_ms: f.attempt.durationMs,
          updated_at: f.at,
          finished_at: f.state === 'pending' ? null : f.at,
        })
        .where('id', '=', id)
        .where('lease_owner', '=', f.owner)
        .where('state', '=', 'pending')
        .where('attempts', '=', f.attempt.attempt - 1)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      await db
        .insertInto('webhook_attempts')
        .values({
          delivery_id: id,
          attempt: f.attempt.attempt,
          started_at: f.attempt.startedAt,
          duration_ms: f.attempt.durationMs,
          status: f.attempt.status,
          error: f.attempt.error,
        })
        .execute();
      return true;
    },

    async releaseLease(id, owner) {
      await db
        .updateTable('webhook_deliveries')
        .set({ leased_until: null, lease_owner: null })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .execute();
    },

    async listDeliveries({ endpointId, limit, after }) {
      let q = db.selectFrom('webhook_deliveries').selectAll();
      if (endpointId !== undefined) q = q.where('endpoint_id', '=', endpointId);
      if (after !== undefined) q = q.where('id', '<', after);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(toDelivery);
      const last = items[items.length - 1];
      return { items, next: rows.length > limit && last ? last.id : null } satisfies Page<DeliveryRecord>;
    },

    async listAttempts(deliveryIds) {
      if (deliveryIds.length === 0) return [];
      const rows = await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('delivery_id', 'in', [...deliveryIds])
        .orderBy('delivery_id')
        .orderBy('attempt')
        .execute();
      return rows.map(toAttempt);
    },
  };
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): EndpointRecord {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as EventSelector[],
    description: row.description,
    secret:
      row.secret_kek_id !== null && row.secret_wrapped !== null
        ? { kekId: row.secret_kek_id, wrapped: row.secret_wrapped }
        : null,
    secretHint: row.secret_hint,
    createdBy: row.created_by,
    createdByName: row.created_by_name,
    createdAt: row.created_at,
    removedAt: row.removed_at,
    removedBy: row.removed_by,
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    endpointId: row.endpoint_id,
    eventType: row.event_type as WebhookEventType,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms === null ? null : Number(row.last_duration_ms),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toAttempt(row: Selectable<WebhookAttemptsTable>): AttemptRecord {
  return {
    deliveryId: row.delivery_id,
    attempt: Number(row.attempt),
    startedAt: row.started_at,
    durationMs: Number(row.duration_ms),
    status: row.status === null ? null : Number(row.status),
    error: row.error,
  };
}
