import type { Logger } from '../../../platform/logger.js';

/** Evaluations kept while the store is unavailable; beyond, the oldest are let go (and counted). */
export const maxWaitingEvaluations = 1_000;

type Evaluation = () => Promise<void>;

/**
 * Evaluations that failed (the store unavailable) wait here, in order, and run again before the next
 * ones: a rule's streak catches up once the store is back, and no reading is counted twice (a failed
 * evaluation's transaction wrote nothing). An outage is logged when it starts and when it ends, never once
 * per window or minute.
 */
export function createEvaluationBacklog(
  logger: Pick<Logger, 'warn' | 'error'>,
  max: number = maxWaitingEvaluations,
) {
  const waiting: Evaluation[] = [];
  let failing = false;
  let lost = 0;

  function failed(err: unknown): void {
    if (failing) return;
    failing = true;
    logger.error(
      { err, waiting: waiting.length },
      'monitor alert evaluation failed; readings wait and are evaluated in order once the store answers',
    );
  }

  const succeeds = (work: Evaluation) =>
    work().then(
      () => true,
      () => false,
    );

  return {
    /** Evaluations waiting for the store now. */
    get waiting(): number {
      return waiting.length;
    },
    /** A failure before anything could be queued (the readings themselves could not be taken). */
    failed,
    /** Queues `work` after the waiting evaluations and runs them all in order, stopping at a failure. */
    async run(work: readonly Evaluation[]): Promise<void> {
      waiting.push(...work);
      while (waiting.length > max) {
        waiting.shift();
        lost++;
      }
      while (waiting.length > 0) {
        try {
          await (waiting[0] as Evaluation)();
        } catch (err) {
          // The next evaluation tells an outage from a reading that cannot be evaluated: if it succeeds,
          // the first one is let go (logged, counted) rather than holding every later reading back.
          if (waiting.length < 2 || !(await succeeds(waiting[1] as Evaluation))) {
            failed(err);
            return;
          }
          waiting.splice(0, 2);
          lost++;
          logger.error({ err }, 'monitor alert evaluation failed on its own readings; it was let go');
          continue;
        }
        waiting.shift();
      }
      if (!failing) return;
      failing = false;
      logger.warn({ lost }, 'monitor alert evaluation recovered: the waiting readings were evaluated');
      lost = 0;
    },
  };
}
