/**
 * Counts failed authentications per client address and says when one is blocked. The in-process adapter
 * serves one server; a shared store (Redis) implements the same port when several servers share the load.
 */
export interface AuthFailureLimiter {
  /** Milliseconds until `address` may be served again; 0 when it is not blocked. */
  blockedFor(address: string): Promise<number>;
  /** Counts one failure from `address`; returns how long it is now blocked (0 while under the limit). */
  fail(address: string): Promise<number>;
}
