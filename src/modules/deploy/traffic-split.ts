import { createHash } from 'node:crypto';

/** What the gateway routes on for one model: the stable digest and an optional canary or shadow. */
export interface Split {
  stable: string;
  candidate: { digest: string; mode: 'canary' | 'shadow'; percent: number } | null;
}

/** Where one request goes: the digest that answers, and a digest that gets a discarded copy (shadow). */
export interface Route {
  serve: string;
  /** 'stable' or 'canary': which slot answered. */
  slot: 'stable' | 'canary';
  /** A shadow's digest when this request is also copied to it (its answer is discarded). */
  mirror: string | null;
}

/**
 * The bucket (0–9,999) a principal falls in for one model: a hash of both, so the same caller always lands
 * in the same bucket (sticky), and callers spread evenly and independently per model.
 */
export function bucketOf(model: string, principal: string): number {
  const digest = createHash('sha256').update(model).update('\0').update(principal).digest();
  return digest.readUInt32BE(0) % 10_000;
}

/**
 * Picks the digest that serves a request: a canary at P % serves the principals whose bucket is below
 * P × 100, the same ones on every request, and gaining a principal only when P grows; a shadow serves
 * nothing but receives a copy of P % of the principals' requests.
 */
export function pickRoute(split: Split, model: string, principal: string): Route {
  const { candidate } = split;
  if (!candidate || candidate.percent <= 0) return { serve: split.stable, slot: 'stable', mirror: null };
  const chosen = bucketOf(model, principal) < Math.round(candidate.percent * 100);
  if (candidate.mode === 'shadow')
    return { serve: split.stable, slot: 'stable', mirror: chosen ? candidate.digest : null };
  return chosen
    ? { serve: candidate.digest, slot: 'canary', mirror: null }
    : { serve: split.stable, slot: 'stable', mirror: null };
}
