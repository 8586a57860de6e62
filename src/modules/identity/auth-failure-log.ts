import type { AuditEvent } from '../audit/index.js';
import type { AuthFailureReason } from './auth-result.js';

/** Why a request was refused before it reached a route: a failed authentication or a blocked address. */
export type AuthRefusal = AuthFailureReason | 'rate_limited';

export interface AuthFailureLogDeps {
  /** Appends one audit entry (the audit recorder). */
  record(event: AuditEvent): Promise<unknown>;
  /** Counts every refusal as it happens (the metrics counter). */
  count(reason: AuthRefusal): void;
  now(): Date;
  /** Addresses tracked within one interval; past it, refusals of new addresses share one entry per reason. */
  maxAddresses?: number;
}

interface Tally {
  clientAddress: string | null;
  reason: AuthRefusal;
  count: number;
  firstAt: string;
  lastAt: string;
  firstRequestId: string;
}

export type AuthFailureLog = ReturnType<typeof createAuthFailureLog>;

const OTHER = '\u0000other';

/**
 * Records refused authentications as aggregated audit entries: one per client address and reason per
 * interval, with a count, so a flood of bad requests costs a handful of rows instead of one each. Memory
 * is bounded by `maxAddresses`. The caller flushes on its interval and on shutdown.
 */
export function createAuthFailureLog(deps: AuthFailureLogDeps) {
  const maxAddresses = deps.maxAddresses ?? 1_000;
  let tallies = new Map<string, Tally>();
  let addresses = new Set<string>();
  let flushing: Promise<void> = Promise.resolve();

  return {
    /** Notes one refusal; written at the next flush. */
    note(input: { clientAddress: string; reason: AuthRefusal; requestId: string }): void {
      deps.count(input.reason);
      const overflow = !addresses.has(input.clientAddress) && addresses.size >= maxAddresses;
      if (!overflow) addresses.add(input.clientAddress);
      const address = overflow ? OTHER : input.clientAddress;
      const key = `${address}\u0000${input.reason}`;
      const at = deps.now().toISOString();
      const tally = tallies.get(key);
      if (tally) {
        tally.count++;
        tally.lastAt = at;
      } else
        tallies.set(key, {
          clientAddress: overflow ? null : address,
          reason: input.reason,
          count: 1,
          firstAt: at,
          lastAt: at,
          firstRequestId: input.requestId,
        });
    },

    /** Writes one audit entry per tally and starts a new interval; flushes never overlap. */
    flush(): Promise<void> {
      const batch = [...tallies.values()];
      tallies = new Map();
      addresses = new Set();
      flushing = flushing.then(async () => {
        for (const t of batch)
          await deps.record({
            action: 'identity:token:authenticate',
            outcome: t.reason === 'rate_limited' ? 'denied' : 'failed',
            principal: null,
            resource: null,
            // The first request of the interval, so a log line can be matched to the entry.
            requestId: t.firstRequestId,
            clientAddress: t.clientAddress,
            details: { reason: t.reason, count: t.count, firstAt: t.firstAt, lastAt: t.lastAt },
          });
      });
      return flushing;
    },

    /** Refusals noted and not yet written. */
    pending: (): number => [...tallies.values()].reduce((n, t) => n + t.count, 0),
  };
}
