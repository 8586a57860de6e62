import { Counter, Registry } from 'prom-client';

export type WardenMetrics = ReturnType<typeof createPromMetrics>;

/**
 * Warden's Prometheus metrics, on a registry of their own (not prom-client's global one), so two servers
 * in one process, as in tests, never share or double-register counters.
 */
export function createPromMetrics() {
  const registry = new Registry();
  const authFailures = new Counter({
    name: 'warden_auth_failures_total',
    help: 'Requests refused before reaching a route: failed authentications by reason, and rate_limited.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    countAuthFailure: (reason: string) => authFailures.inc({ reason }),
    contentType: registry.contentType,
    /** The Prometheus text exposition of every metric. */
    render: () => registry.metrics(),
  };
}
