import type { Kysely } from 'kysely';
import type { MonitorAlertStore, ReadingsRecord, StoredReading } from '../../modules/monitor/index.js';
import { newId } from '../../platform/ids.js';
import type { Database } from './database.js';

/** Monitoring's detector readings (migration 0019-monitor-readings); the readings are JSON in TEXT. */
export type MonitorReadingTables = { monitor_readings: MonitorReadingsTable };

export type MonitorReadingsTable = {
  id: string;
  environment: string;
  model: string;
  window_id: string | null;
  at: string;
  digest: string;
  version: number;
  kind: string;
  readings: string;
};

// PostgreSQL takes at most 65,535 parameters per statement: window ids are looked up in chunks.
const windowChunk = 500;

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/** JSON has no NaN or ±Infinity: such a value or threshold is stored as null (StoredReading says so). */
const storedReadings = (readings: readonly StoredReading[]): string =>
  JSON.stringify(
    readings.map((r) => ({
      detector: r.detector,
      value: finiteOrNull(r.value),
      threshold: finiteOrNull(r.threshold),
      breached: r.breached,
      direction: r.direction,
    })),
  );

type ReadingMethods = Pick<MonitorAlertStore, 'saveReadings' | 'windowReadings' | 'latestInterval'>;

/** The readings part of the monitor alert store, bound to the same connection or transaction. */
export function monitorReadingMethods(executor: Kysely<Database>): ReadingMethods {
  const db = executor.withTables<MonitorReadingTables>();
  return {
    async saveReadings(r: ReadingsRecord) {
      await db
        .insertInto('monitor_readings')
        .values({
          id: newId(),
          environment: r.environment,
          model: r.model,
          window_id: r.windowId,
          at: r.at,
          digest: r.digest,
          version: r.version,
          kind: r.kind,
          readings: storedReadings(r.readings),
        })
        .execute();
    },
    async windowReadings(environment, windowIds) {
      const found = new Map<string, StoredReading[]>();
      const ids = [...new Set(windowIds)];
      for (let i = 0; i < ids.length; i += windowChunk) {
        const rows = await db
          .selectFrom('monitor_readings')
          .select(['window_id', 'readings'])
          .where('environment', '=', environment)
          .where('window_id', 'in', ids.slice(i, i + windowChunk))
          .orderBy('at')
          .orderBy('id')
          .execute();
        // A window read twice keeps its latest readings.
        for (const row of rows)
          if (row.window_id !== null) found.set(row.window_id, JSON.parse(row.readings));
      }
      return found;
    },
    async latestInterval(environment, model) {
      const row = await db
        .selectFrom('monitor_readings')
        .select(['at', 'readings'])
        .where('environment', '=', environment)
        .where('model', '=', model)
        .where('kind', '=', 'interval')
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? { at: row.at, readings: JSON.parse(row.readings) } : null;
    },
  };
}
