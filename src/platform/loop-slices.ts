import { setImmediate } from 'node:timers/promises';

/**
 * Cuts a long job on the event loop into slices of at most about `budgetMs`: the job calls `pause()`
 * between small steps, and once the slice's budget is spent it waits one turn of the loop (`setImmediate`),
 * so the requests and timers waiting meanwhile run before the next slice. Background work (the monitor's
 * tick) then never stalls the gateway for longer than one slice (issue 11: p99 ≤ 2 ms under load).
 *
 * Written here because Node 20 has no stable helper for it (`scheduler.yield` is experimental) and the
 * libraries for it are schedulers of whole tasks, not of steps within one.
 */
export function loopSlices(budgetMs: number, now: () => number = () => performance.now()) {
  let since = now();
  let turns = 0;
  return {
    /** Waits a turn of the loop when the current slice is spent; otherwise returns at once. */
    async pause(): Promise<void> {
      if (now() - since < budgetMs) return;
      await setImmediate();
      turns++;
      since = now();
    },
    /** Turns of the loop let through so far. */
    get turns() {
      return turns;
    },
  };
}

export type LoopSlices = ReturnType<typeof loopSlices>;
