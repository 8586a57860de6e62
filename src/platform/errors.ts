/**
 * Errors are part of Warden's API: each has a stable `code`, a transport-neutral `kind` and a message that
 * is safe to show to the caller. HTTP and CLI each map `kind` once (http/plugins/error-handler.ts,
 * cli/exit-codes.ts); docs/errors.md lists every code and a test keeps the two in step.
 */
export const errorKinds = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'gone',
  'conflict',
  'precondition_failed',
  'rate_limited',
  'too_large',
  'unavailable',
  'integrity',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: ErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ErrorDefinition<A extends unknown[]> {
  readonly code: string;
  readonly kind: ErrorKind;
  (...args: A): AppError;
  is(err: unknown): err is AppError;
}

const registry = new Map<string, ErrorKind>();

/**
 * Declares an error once; calling the result builds an AppError. `render` turns the call's arguments into
 * the safe message and optional details.
 */
export function defineError<A extends unknown[]>(
  code: string,
  kind: ErrorKind,
  render: (...args: A) => string | { message: string; details?: ErrorDetails },
): ErrorDefinition<A> {
  if (registry.has(code)) throw new Error(`error code ${code} is defined twice`);
  registry.set(code, kind);
  const make = (...args: A): AppError => {
    const out = render(...args);
    return typeof out === 'string'
      ? new AppError(code, kind, out)
      : new AppError(code, kind, out.message, out.details);
  };
  return Object.assign(make, {
    code,
    kind,
    is: (err: unknown): err is AppError => err instanceof AppError && err.code === code,
  });
}

/** Every error code defined so far (modules register theirs when imported). */
export function definedErrorCodes(): ReadonlyMap<string, ErrorKind> {
  return registry;
}

export const internalError = defineError('internal_error', 'internal', () => 'An internal error occurred.');
