import { type AuditEvent, createAuditTally } from '../audit/index.js';
import type { AuthFailureReason } from './auth-result.js';

/** Why a request was refused before it reached a route: a failed authentication or a blocked address. */
export type AuthRefusal = AuthFailureReason | 'rate_limited';

export interface AuthFailureLogDeps {
  /** Appends one audit entry (the audit recorder). */
  record(event: AuditEvent): Promise<unknown>;
  /** Counts every refusal as it happens (the metrics counter). */
  count(reason: AuthRefusal): void;
  now(): Date;
  /** Address and reason pairs tracked within one interval; past it, new ones share one entry per reason. */
  maxAddresses?: number;
}

export type AuthFailureLog = ReturnType<typeof createAuthFailureLog>;

const refusal = (clientAddress: string | null, reason: AuthRefusal, requestId: string): AuditEvent => ({
  action: 'identity:token:authenticate',
  outcome: reason === 'rate_limited' ? 'denied' : 'failed',
  principal: null,
  resource: null,
  // The first request of the interval, so a log line can be matched to the entry.
  requestId,
  clientAddress,
  details: { reason },
});

/**
 * Records refused authentications as aggregated audit entries (audit's tally): one per client address and
 * reason per interval, with a count, so a flood of bad requests costs a handful of rows instead of one
 * each. Memory is bounded by `maxAddresses`. The caller flushes on its interval and on shutdown.
 */
export function createAuthFailureLog(deps: AuthFailureLogDeps) {
  const tally = createAuditTally({
    record: deps.record,
    now: deps.now,
    ...(deps.maxAddresses === undefined ? {} : { maxKeys: deps.maxAddresses }),
  });
  return {
    /** Notes one refusal; written at the next flush. */
    note(input: { clientAddress: string; reason: AuthRefusal; requestId: string }): void {
      deps.count(input.reason);
      const { clientAddress, reason, requestId } = input;
      tally.note({
        key: `${clientAddress}\u0000${reason}`,
        event: () => refusal(clientAddress, reason, requestId),
        overflow: { key: `\u0000other\u0000${reason}`, event: () => refusal(null, reason, requestId) },
      });
    },
    /** Writes one audit entry per address and reason and starts a new interval; flushes never overlap. */
    flush: tally.flush,
    /** Refusals noted and not yet written. */
    pending: tally.pending,
  };
}
