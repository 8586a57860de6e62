import type { AppError } from '../../platform/errors.js';
import {
  upstreamBadResponse,
  upstreamBusy,
  upstreamCircuitOpen,
  upstreamRefused,
  upstreamTimeout,
  upstreamUnreachable,
} from './gateway.errors.js';
import { UpstreamFailure } from './runtime.port.js';

/**
 * The error a failed upstream call answers with, and the Retry-After (seconds) it sets when the call was
 * refused before it left (circuit open, concurrency limit). Null for an error that is not an upstream's.
 */
export function answerUpstreamFailure(
  err: unknown,
  model: string,
  headers: Map<string, string>,
): AppError | null {
  if (!(err instanceof UpstreamFailure)) return null;
  if (err.retryAfterMs !== null)
    headers.set('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
  switch (err.reason) {
    case 'timeout':
      return upstreamTimeout(err.detail);
    case 'unreachable':
      return upstreamUnreachable(err.detail);
    case 'refused':
      return upstreamRefused(err.detail);
    case 'circuit_open':
      return upstreamCircuitOpen(model);
    case 'busy':
      return upstreamBusy(model);
    default:
      return upstreamBadResponse(err.detail);
  }
}
