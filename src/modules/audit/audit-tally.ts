import type { AuditEvent } from './audit.types.js';

export interface AuditTallyDeps {
  /** Appends one audit entry (the audit recorder). */
  record(event: AuditEvent): Promise<unknown>;
  now(): Date;
  /** Distinct keys held within one interval; past it, a new key is counted under its overflow key. */
  maxKeys?: number;
}

/** What one repeated event is counted under, and the entry that stands for all of them. */
export interface TallyNote {
  key: string;
  /** The interval's first occurrence, as written (made only when the key is new). */
  event: () => AuditEvent;
  /** Where it is counted once `maxKeys` keys are held: a coarser key (no address, no principal). */
  overflow: { key: string; event: () => AuditEvent };
}

interface Tally {
  event: AuditEvent;
  count: number;
  firstAt: string;
  lastAt: string;
}

/**
 * Repeated audit events written as one entry per key per interval, the first occurrence with
 * `count`, `firstAt` and `lastAt` added to its details, so a flood of identical refusals costs a handful of
 * rows instead of one each. Memory is bounded by `maxKeys` (overflow keys are the caller's, few and
 * bounded). The caller flushes on its interval and on shutdown; flushes never overlap.
 */
export function createAuditTally(deps: AuditTallyDeps) {
  const maxKeys = deps.maxKeys ?? 1_000;
  let tallies = new Map<string, Tally>();
  let keys = 0;
  let flushing: Promise<void> = Promise.resolve();

  return {
    /** Counts one occurrence; written at the next flush. */
    note(input: TallyNote): void {
      const at = deps.now().toISOString();
      let key = input.key;
      let tally = tallies.get(key);
      if (!tally) {
        let make = input.event;
        if (keys >= maxKeys) ({ key, event: make } = input.overflow);
        else keys++;
        tally = tallies.get(key);
        if (!tally) {
          tallies.set(key, { event: make(), count: 1, firstAt: at, lastAt: at });
          return;
        }
      }
      tally.count++;
      tally.lastAt = at;
    },

    /** Writes one audit entry per key noted since the last flush, and starts a new interval. */
    flush(): Promise<void> {
      const batch = [...tallies.values()];
      tallies = new Map();
      keys = 0;
      flushing = flushing.then(async () => {
        for (const { event, count, firstAt, lastAt } of batch)
          await deps.record({ ...event, details: { ...event.details, count, firstAt, lastAt } });
      });
      return flushing;
    },

    /** Occurrences noted and not yet written. */
    pending: (): number => [...tallies.values()].reduce((n, t) => n + t.count, 0),
  };
}

export type AuditTally = ReturnType<typeof createAuditTally>;
