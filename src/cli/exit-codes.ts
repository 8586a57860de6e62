import type { ErrorKind } from '../platform/errors.js';

/** The one mapping from error kind to the CLI's exit status (documented in docs/cli.md). */
export const exitCodeOfKind: Record<ErrorKind, number> = {
  internal: 1,
  invalid: 2,
  not_found: 3,
  gone: 3,
  conflict: 4,
  precondition_failed: 4,
  integrity: 5,
  unauthenticated: 6,
  forbidden: 6,
  too_large: 7,
  unavailable: 8,
  rate_limited: 9,
};

export const exitUsage = 2;
