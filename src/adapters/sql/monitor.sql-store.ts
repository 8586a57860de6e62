import { setImmediate } from 'node:timers/promises';
import type { Kysely, Selectable } from 'kysely';
import type { MonitorWindowStore, WindowSummary } from '../../modules/monitor/index.js';
import type { Database } from './database.js';
import type { MonitorReadingTables } from './monitor-reading.sql-store.js';

/** Monitoring's tables (migration 0017-monitor-windows); a summary is JSON in TEXT. */
export type MonitorTables = {
  monitor_windows: MonitorWindowsTable;
  monitor_predictions: MonitorPredictionsTable;
};

export type MonitorWindowsTable = {
  id: string;
  environment: string;
  model: string;
  version: number;
  digest: string;
  start_at: string;
  end_at: string;
  closed_by: string;
  requests: number;
  rows: number;
  drift_detected: number | null;
  drift_share: number | null;
  summary: string;
};

export type MonitorPredictionsTable = {
  window_id: string;
  environment: string;
  model: string;
  request_id: string;
  prediction: string;
  label: string | null;
};

const summaryOf = (row: Pick<Selectable<MonitorWindowsTable>, 'summary'>): WindowSummary =>
  JSON.parse(row.summary);

// PostgreSQL takes at most 65,535 parameters per statement: predictions are inserted in chunks. SQLite
// answers synchronously, so a chunk is also what the event loop waits for: 250 rows take about 1 ms (a
// window's 1,000 in one statement held it 4–8 ms, a stall the gateway's p99 saw), and the writer lets one
// turn of the loop through between chunks (the transaction stays open; other queries wait for it).
const predictionChunk = 250;
const labelChunk = 500;
/** Expired windows deleted per transaction (each with up to `monitor.window.rows` predictions). */
const retentionBatch = 2;

/**
 * The monitor's store on the root connection: each method runs its own transaction (a batch of windows
 * is written all or none; a batch of labels and the figures it changes, likewise).
 */
export function createMonitorSqlStore(root: Kysely<Database>): MonitorWindowStore {
  const db = root.withTables<MonitorTables & MonitorReadingTables>();
  return {
    async saveWindows(records) {
      if (records.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const { summary: s, predictions } of records) {
          await trx
            .insertInto('monitor_windows')
            .values({
              id: s.id,
              environment: s.environment,
              model: s.model,
              version: s.version,
              digest: s.digest,
              start_at: s.start,
              end_at: s.end,
              closed_by: s.closedBy,
              requests: s.requests,
              rows: s.rows,
              drift_detected: s.drift ? (s.drift.dataset.detected ? 1 : 0) : null,
              drift_share: s.drift ? s.drift.dataset.share : null,
              summary: JSON.stringify(s),
            })
            .execute();
          for (let i = 0; i < predictions.length; i += predictionChunk) {
            if (i > 0) await setImmediate();
            await trx
              .insertInto('monitor_predictions')
              .values(
                predictions.slice(i, i + predictionChunk).map((p) => ({
                  window_id: s.id,
                  environment: s.environment,
                  model: s.model,
                  request_id: p.requestId,
                  prediction: p.prediction,
                  label: p.label,
                })),
              )
              .execute();
          }
        }
      });
    },

    async listWindows(environment, model, page) {
      let query = db
        .selectFrom('monitor_windows')
        .select(['id', 'summary'])
        .where('environment', '=', environment)
        .where('model', '=', model);
      if (page.after) query = query.where('id', '<', page.after);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit).map(summaryOf);
      return { items, next: rows.length > page.limit ? (items[items.length - 1]?.id ?? null) : null };
    },

    async findWindow(environment, id) {
      const row = await db
        .selectFrom('monitor_windows')
        .select('summary')
        .where('environment', '=', environment)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? summaryOf(row) : null;
    },

    async applyLabels(environment, model, labels, metrics) {
      if (labels.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const matched = new Set<string>();
        const windows = new Set<string>();
        const byId = new Map(labels.map((l) => [l.requestId, l.value]));
        const ids = [...byId.keys()];
        for (let i = 0; i < ids.length; i += labelChunk) {
          const found = await trx
            .selectFrom('monitor_predictions')
            .select(['window_id', 'request_id'])
            .where('environment', '=', environment)
            .where('model', '=', model)
            .where('request_id', 'in', ids.slice(i, i + labelChunk))
            .execute();
          for (const f of found) {
            matched.add(f.request_id);
            windows.add(f.window_id);
            await trx
              .updateTable('monitor_predictions')
              .set({ label: byId.get(f.request_id) ?? null })
              .where('window_id', '=', f.window_id)
              .where('request_id', '=', f.request_id)
              .execute();
          }
        }
        for (const windowId of windows) {
          const pairs = await trx
            .selectFrom('monitor_predictions')
            .select(['prediction', 'label'])
            .where('window_id', '=', windowId)
            .where('label', 'is not', null)
            .execute();
          const row = await trx
            .selectFrom('monitor_windows')
            .select('summary')
            .where('id', '=', windowId)
            .executeTakeFirst();
          if (!row) continue;
          const summary = summaryOf(row);
          summary.labels = metrics(pairs.map((p) => ({ prediction: p.prediction, label: p.label ?? '' })));
          await trx
            .updateTable('monitor_windows')
            .set({ summary: JSON.stringify(summary) })
            .where('id', '=', windowId)
            .execute();
        }
        return [...matched];
      });
    },

    async deleteEndedBefore(cutoff) {
      // A few windows per transaction, a turn of the loop between: an hour's expired windows hold about a
      // million predictions at a busy gateway, which one synchronous SQLite DELETE would take seconds over
      // while every request waited (issue 11's tail). Each batch is whole; a failure leaves the rest for
      // the next call.
      let deleted = 0;
      for (;;) {
        const batch = await db.transaction().execute(async (trx) => {
          const rows = await trx
            .selectFrom('monitor_windows')
            .select(['id', 'environment'])
            .where('end_at', '<', cutoff)
            .orderBy('end_at')
            .limit(retentionBatch)
            .execute();
          if (rows.length === 0) return 0;
          const ids = rows.map((r) => r.id);
          await trx.deleteFrom('monitor_predictions').where('window_id', 'in', ids).execute();
          // By (environment, window_id): the readings' index on a window.
          await trx
            .deleteFrom('monitor_readings')
            .where('environment', 'in', [...new Set(rows.map((r) => r.environment))])
            .where('window_id', 'in', ids)
            .execute();
          await trx.deleteFrom('monitor_windows').where('id', 'in', ids).execute();
          return ids.length;
        });
        deleted += batch;
        if (batch < retentionBatch) break;
        await setImmediate();
      }
      // The gateway intervals' readings of the same age (no window; one per model and minute).
      await db.deleteFrom('monitor_readings').where('at', '<', cutoff).execute();
      return deleted;
    },
  };
}
