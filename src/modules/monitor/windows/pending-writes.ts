import type { WindowRecord } from '../monitor.ports.js';

/**
 * Closed windows waiting to be written, at most `max`: when the store is down they wait for the next
 * tick; past the bound the oldest go, and are counted (never silently lost).
 */
export function createPendingWrites(max: number) {
  let queue: WindowRecord[] = [];
  let lost = 0;
  const lostByModel = new Map<string, number>();
  return {
    push(record: WindowRecord): WindowRecord | null {
      queue.push(record);
      if (queue.length <= max) return null;
      const dropped = queue.shift() ?? null;
      if (dropped) {
        lost++;
        const m = dropped.summary.model;
        lostByModel.set(m, (lostByModel.get(m) ?? 0) + 1);
      }
      return dropped;
    },
    /** Everything waiting, oldest first; `settle` removes those written. */
    peek: (): readonly WindowRecord[] => queue,
    settle(written: number) {
      queue = queue.slice(written);
    },
    get size() {
      return queue.length;
    },
    sizeFor: (model: string) => queue.filter((r) => r.summary.model === model).length,
    get lost() {
      return lost;
    },
    lostFor: (model: string) => lostByModel.get(model) ?? 0,
  };
}
