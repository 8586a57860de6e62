import type { GatewayMetrics, GuardHook } from './gateway-metrics.port.js';
import type { GuardPipeline, InferenceGuard } from './guard-pipeline.js';

const hooks: readonly GuardHook[] = ['admit', 'beforeRun', 'afterRun', 'beforeChat', 'afterChat'];

/**
 * The same guards, each hook timed on its own (refusals included) and reported to the metrics port, so an
 * operator sees what each guard costs. A guard without a hook gets no wrapper for it: nothing is measured
 * that does not run.
 */
export function timedGuards(
  guards: GuardPipeline,
  metrics: Pick<GatewayMetrics, 'guardTime'>,
): GuardPipeline {
  return guards.map((guard) => {
    const timed: Record<string, unknown> = { name: guard.name };
    for (const hook of hooks) {
      const fn = guard[hook] as ((...args: unknown[]) => unknown) | undefined;
      if (!fn) continue;
      timed[hook] = async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await fn.apply(guard, args);
        } finally {
          metrics.guardTime(guard.name, hook, (performance.now() - started) / 1000);
        }
      };
    }
    return timed as unknown as InferenceGuard;
  });
}
