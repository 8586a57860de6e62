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
    async admit(call) {
      if (!call.policy.rateLimit.enabled) return;
      const checks = checksOf(call);
      if (checks.length === 0) return;
      const decisions = await Promise.all(checks.map((c) => deps.limiter.consume(c.key, c.bucket)));
      const refused = decisions.flatMap((d, i) =>
        d.allowed ? [] : [{ d, scope: (checks[i] as Check).scope }],
      );
      // Refused: the bucket that refills last decides when to come back. Admitted: the one nearest to empty.
      const shown: RateLimitDecision = refused.length
        ? refused.reduce((a, b) => (b.d.resetMs > a.d.resetMs ? b : a)).d
        : decisions.reduce((a, b) => (b.remaining < a.remaining ? b : a));
      call.headers.set(rateLimitHeaders.limit, String(shown.limit));
      call.headers.set(rateLimitHeaders.remaining, String(shown.remaining));
      call.headers.set(rateLimitHeaders.reset, String(seconds(shown.resetMs)));
      if (refused.length === 0) return;
      const retryAfter = Math.max(1, seconds(shown.resetMs));
      call.headers.set(rateLimitHeaders.retryAfter, String(retryAfter));
      const scope = refused.find((r) => r.d === shown)?.scope ?? 'principal';
      throw rateLimited(call.model, scope, retryAfter);
    },
  };
}
