import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { UpstreamFailure, type UpstreamStatus } from '../../modules/gateway/index.js';

export interface UpstreamPolicyOptions {
  protocol: string;
  timeoutMs: number;
  maxConcurrent: number | null;
  breaker: { failures: number; halfOpenAfterMs: number };
  /** The clock the Retry-After of an open breaker is measured on. */
  now?: () => number;
}

/** Failures that say the upstream is unwell (they open the breaker); a refused input does not. */
const unwell = (err: unknown) =>
  err instanceof TaskCancelledError ||
  (err instanceof UpstreamFailure && err.reason !== 'refused') ||
  !(err instanceof UpstreamFailure);

const breakerStates: Record<CircuitState, UpstreamStatus['breaker']> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * One upstream's resilience, shared by every session of the model: a concurrency limit (refused at once
 * when full, never queued), a circuit breaker that opens after `failures` failures in a row and lets one
 * test call through after `halfOpenAfterMs`, and an aggressive timeout on each call (the caller gets its
 * answer at the deadline even if the upstream never closes the connection). Every failure comes out as an
 * UpstreamFailure.
 */
export function createUpstreamPolicy(options: UpstreamPolicyOptions) {
  const now = options.now ?? Date.now;
  const breaker = circuitBreaker(handleWhen(unwell), {
    halfOpenAfter: options.breaker.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breaker.failures),
  });
  let openedAt = 0;
  breaker.onBreak(() => {
    openedAt = now();
  });
  const deadline = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const limit = options.maxConcurrent ? bulkhead(options.maxConcurrent, 0) : null;
  const policy = limit ? wrap(limit, breaker, deadline) : wrap(breaker, deadline);
  let inFlight = 0;

  return {
    /** Runs one call to the upstream under the limit, the breaker and the timeout. */
    async execute<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
      try {
        inFlight++;
        return await policy.execute(({ signal }) => call(signal));
      } catch (err) {
        if (err instanceof UpstreamFailure) throw err;
        if (err instanceof BrokenCircuitError) {
          const left = options.breaker.halfOpenAfterMs - (now() - openedAt);
          throw new UpstreamFailure(
            'circuit_open',
            'the upstream is failing; calls are paused',
            Math.max(left, 1000),
          );
        }
        if (err instanceof BulkheadRejectedError)
          throw new UpstreamFailure('busy', 'the upstream is at its concurrency limit', 1000);
        if (err instanceof TaskCancelledError)
          throw new UpstreamFailure('timeout', `the upstream did not answer within ${options.timeoutMs} ms`);
        throw new UpstreamFailure('unreachable', 'the call to the upstream failed');
      } finally {
        inFlight--;
      }
    },
    status(): UpstreamStatus {
      return {
        protocol: options.protocol,
        breaker: breakerStates[breaker.state],
        inFlight,
        maxConcurrent: options.maxConcurrent,
        timeoutMs: options.timeoutMs,
      };
    },
  };
}

export type UpstreamPolicy = ReturnType<typeof createUpstreamPolicy>;
