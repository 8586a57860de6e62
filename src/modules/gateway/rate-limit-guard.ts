import { rateLimited } from './gateway.errors.js';
import type { GuardCall, InferenceGuard } from './guard-pipeline.js';
import type { TokenBucket } from './guard-policy.js';
import type { RateLimitDecision, RateLimiter } from './rate-limit.port.js';

/**
 * The response fields of draft-ietf-httpapi-ratelimit-headers-06 (three Integer fields, Reset in seconds
 * from now), and Retry-After (RFC 9110) on a refusal. Lower case, as every guard writes `call.headers`.
 */
export const rateLimitHeaders = {
  limit: 'ratelimit-limit',
  remaining: 'ratelimit-remaining',
  reset: 'ratelimit-reset',
  retryAfter: 'retry-after',
} as const;

type Scope = 'principal' | 'address';

interface Check {
  scope: Scope;
  key: string;
  bucket: TokenBucket;
}

// Environment and model are slugs (no `|`), so the caller's id, last, cannot make two keys collide.
function checksOf(call: GuardCall): Check[] {
  const { perPrincipal, perAddress } = call.policy.rateLimit;
  const at = `${call.environment}|${call.model}`;
  const checks: Check[] = [];
  if (perPrincipal)
    checks.push({
      scope: 'principal',
      key: `principal|${at}|${call.ctx.principal.id}`,
      bucket: perPrincipal,
    });
  if (perAddress)
    checks.push({
      scope: 'address',
      key: `address|${at}|${call.ctx.clientAddress ?? 'unknown'}`,
      bucket: perAddress,
    });
  return checks;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * Rate limits, the first guard: before the request is validated, one token from the caller's bucket and one from
 * the client address's bucket on this deployment (both taken at once; a request refused by one still spends
 * the other's token). Every answer carries the state of the bucket closest to empty; a refusal is 429 with
 * Retry-After, and costs no parsing, no model run and no write.
 */
export function createRateLimitGuard(deps: { limiter: RateLimiter }): InferenceGuard {
  return {
    name: 'rate-limit',
    admit(call) {
      if (!call.policy.rateLimit.enabled) return;
      const checks = checksOf(call);
      if (checks.length === 0) return;
      const decisions = checks.map((c) => deps.limiter.consume(c.key, c.bucket));
      // An in-memory limiter answers at once: no promise, no microtask turns on the hot path.
      if (decisions.some(isThenable))
        return Promise.all(decisions).then((settled) => decide(call, checks, settled));
      decide(call, checks, decisions as RateLimitDecision[]);
    },
  };
}

const isThenable = (v: unknown): v is Promise<unknown> =>
  typeof (v as { then?: unknown } | undefined)?.then === 'function';

function decide(call: GuardCall, checks: Check[], decisions: RateLimitDecision[]) {
  let refusedShown: RateLimitDecision | null = null;
  let refusedScope: Scope = 'principal';
  let lowest = decisions[0] as RateLimitDecision;
  for (const [i, d] of decisions.entries()) {
    if (d.remaining < lowest.remaining) lowest = d;
    if (!d.allowed && (refusedShown === null || d.resetMs > refusedShown.resetMs)) {
      refusedShown = d;
      refusedScope = (checks[i] as Check).scope;
    }
  }
  // Refused: the bucket that refills last decides when to come back. Admitted: the one nearest to empty.
  const shown = refusedShown ?? lowest;
  call.headers.set(rateLimitHeaders.limit, String(shown.limit));
  call.headers.set(rateLimitHeaders.remaining, String(shown.remaining));
  call.headers.set(rateLimitHeaders.reset, String(seconds(shown.resetMs)));
  if (refusedShown === null) return;
  const retryAfter = Math.max(1, seconds(shown.resetMs));
  call.headers.set(rateLimitHeaders.retryAfter, String(retryAfter));
  throw rateLimited(call.model, refusedScope, retryAfter);
}
