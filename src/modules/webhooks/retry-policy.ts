import type { SendOutcome } from './webhook.ports.js';
import type { DeliveryState } from './webhook.types.js';

/** Exponential backoff between attempts: `baseMs · factor^(n-1)`, at most `capMs`, with jitter. */
export interface Backoff {
  baseMs: number;
  factor: number;
  capMs: number;
}

/** 1 s, 4 s, 16 s, 64 s, ~4 min, ~17 min, then hourly (before jitter): eight attempts span about 1.5 hours. */
export const defaultBackoff: Backoff = { baseMs: 1000, factor: 4, capMs: 60 * 60 * 1000 };

/** The longest wait a receiver's Retry-After is honoured up to. */
export const maxRetryAfterMs = 24 * 60 * 60 * 1000;

/** What an attempt came to: the sender's outcome, or a reason it could not be sent at all. */
export type AttemptResult = Exclude<SendOutcome, { kind: 'aborted' }> | { kind: 'unsendable'; error: string };

export interface AttemptDecision {
  state: Exclude<DeliveryState, 'cancelled'>;
  status: number | null;
  error: string | null;
  /** The wait before the next attempt (state pending). */
  delayMs: number | null;
}

/**
 * Statuses worth another attempt: the receiver is overloaded, down or slow (408, 429, 5xx). Any other 4xx
 * is the receiver refusing this request for good (410 Gone: it wants no more), and so is a redirect,
 * which is never followed.
 */
const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** The wait one attempt's failure earns: exponential, capped, with equal jitter (half fixed, half random). */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const full = Math.min(backoff.capMs, backoff.baseMs * backoff.factor ** (attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

/** A Retry-After header (seconds, or an HTTP date) as a wait from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, maxRetryAfterMs);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now.getTime()), maxRetryAfterMs);
}

/** What happens to a delivery after attempt number `attempt` (1-based) came to `result`. */
export function decide(
  result: AttemptResult,
  attempt: number,
  settings: { maxAttempts: number; backoff: Backoff; random: () => number; now: Date },
): AttemptDecision {
  const retry = (status: number | null, error: string | null, atLeastMs: number | null): AttemptDecision => {
    if (attempt >= settings.maxAttempts) return { state: 'failed', status, error, delayMs: null };
    const delay = backoffDelay(attempt, settings.backoff, settings.random);
    return { state: 'pending', status, error, delayMs: Math.max(delay, atLeastMs ?? 0) };
  };
  switch (result.kind) {
    case 'unsendable':
      return { state: 'failed', status: null, error: result.error, delayMs: null };
    case 'failure':
      if (result.failure === 'target_address_forbidden')
        return { state: 'failed', status: null, error: result.failure, delayMs: null };
      return retry(null, result.detail ? `${result.failure}: ${result.detail}` : result.failure, null);
    case 'response': {
      const { status } = result;
      if (status >= 200 && status < 300) return { state: 'delivered', status, error: null, delayMs: null };
      if (status >= 300 && status < 400)
        return { state: 'failed', status, error: 'redirect_not_followed', delayMs: null };
      if (!retryableStatus(status)) return { state: 'failed', status, error: null, delayMs: null };
      // A receiver that says when to come back is taken at its word (never sooner than the backoff).
      const after = status === 429 || status === 503 ? retryAfterMs(result.retryAfter, settings.now) : null;
      return retry(status, null, after);
    }
  }
}
