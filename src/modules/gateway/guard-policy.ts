import type {
  CoarseningConfig,
  ExtractionWatchConfig,
  InputProfile,
  RedactionConfig,
  ScreeningConfigInput,
} from '../guards/index.js';

/** A token bucket: `ratePerSecond` tokens refill each second, up to `burst` held at once. */
export interface TokenBucket {
  ratePerSecond: number;
  burst: number;
}

export interface RateLimitPolicy {
  enabled: boolean;
  /** One bucket per principal (token, OIDC subject) on this deployment; null: no per-principal limit. */
  perPrincipal: TokenBucket | null;
  /** One bucket per client address on this deployment; null: no per-address limit. */
  perAddress: TokenBucket | null;
}

/** Bounds on what one request may carry, beyond the model's signature. */
export interface ValidationPolicy {
  maxRows: number;
  /** Longest string element (BYTES input, chat message), in characters. */
  maxStringLength: number;
}

/**
 * The guards of one deployment (a model in the gateway's environment). Every guard is on unless the
 * deployment's policy turns it off by name: there is no global switch, and a policy that cannot be read
 * leaves the defaults (all on) in force.
 */
export interface GuardPolicy {
  validation: ValidationPolicy;
  rateLimit: RateLimitPolicy;
  screening: { enabled: boolean; config: ScreeningConfigInput };
  redaction: { enabled: boolean; config: Partial<RedactionConfig> };
  coarsening: { enabled: boolean; config: Partial<CoarseningConfig> };
  extraction: {
    enabled: boolean;
    /** The watch's settings (one watch per deployment); its profile is `profile`, not `config.profiles`. */
    config: Omit<ExtractionWatchConfig, 'profiles'>;
    /** The model's benign input profile (novelty and coverage signals); null: distances and volume only. */
    profile: InputProfile | null;
  };
}

/** The guards a deployment's policy can turn off by name (with `enabled: false` and a reason). */
export const guardNames = ['rateLimit', 'screening', 'redaction', 'coarsening', 'extraction'] as const;
export type GuardName = (typeof guardNames)[number];

/** Where the gateway gets a deployment's policy on the hot path: synchronous, from memory. */
export interface GuardPolicySource {
  policyFor(model: string): GuardPolicy;
  /** Starts and stops following the stored policies, with the gateway (a fixed source has nothing to do). */
  start?(): void;
  stop?(): void;
}

/** The same policy for every deployment (the defaults, or a test's). */
export const fixedGuardPolicy = (policy: GuardPolicy): GuardPolicySource => ({ policyFor: () => policy });

/** The rate limits of a deployment without its own: generous enough for a service at full speed. */
export const defaultRateLimits = {
  perPrincipal: { ratePerSecond: 1000, burst: 2000 },
  perAddress: { ratePerSecond: 2000, burst: 4000 },
} as const satisfies Pick<RateLimitPolicy, 'perPrincipal' | 'perAddress'>;

/**
 * Coarsening by default: every class's probability, rounded to 4 decimals. It hides the low digits an
 * equation-solving extraction reads, while the iris demo's answers stay as useful as before (labels kept).
 */
export const defaultCoarsening: Partial<CoarseningConfig> = Object.freeze({ mode: 'full', decimals: 4 });

/**
 * The policy of a deployment that has none of its own: every guard on. Rate limits (the configured
 * `gateway.rateLimit` buckets, or `defaultRateLimits`) are generous enough for a service calling at full
 * speed from one token (they stop a runaway loop, not a busy client); a deployment tightens them in its own
 * policy.
 */
export function defaultGuardPolicy(bounds: {
  maxRows: number;
  rateLimit?: Pick<RateLimitPolicy, 'perPrincipal' | 'perAddress'>;
}): GuardPolicy {
  const limits = bounds.rateLimit ?? defaultRateLimits;
  return {
    validation: { maxRows: bounds.maxRows, maxStringLength: 65_536 },
    rateLimit: {
      enabled: true,
      perPrincipal: limits.perPrincipal && { ...limits.perPrincipal },
      perAddress: limits.perAddress && { ...limits.perAddress },
    },
    screening: { enabled: true, config: {} },
    redaction: { enabled: true, config: {} },
    coarsening: { enabled: true, config: { ...defaultCoarsening } },
    extraction: { enabled: true, config: {}, profile: null },
  };
}
