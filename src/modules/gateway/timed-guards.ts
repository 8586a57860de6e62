import type { GatewayMetrics, GuardHook } from './gateway-metrics.port.js';
import type { GuardPipeline, InferenceGuard } from './guard-pipeline.js';

const hooks: readonly GuardHook[] = ['admit', 'beforeRun', 'afterRun', 'beforeChat', 'afterChat'];

/** One call in this many is timed: enough for the distribution, without a histogram write per hook per call. */
export const guardTimingSample = 16;

/**
 * The same guards, each hook timed on its own (refusals included) and reported to the metrics port, so an
 * operator sees what each guard costs; each hook times one call in `sample` (the first, then every
 * sample-th). A guard without a hook gets no wrapper for it: nothing is measured that does not run.
 */
export function timedGuards(
  guards: GuardPipeline,
  metrics: Pick<GatewayMetrics, 'guardTime'>,
  sample = guardTimingSample,
): GuardPipeline {
  return guards.map((guard) => {
    const timed: Record<string, unknown> = { name: guard.name };
    for (const hook of hooks) {
      const fn = guard[hook] as ((...args: unknown[]) => unknown) | undefined;
      if (!fn) continue;
      let calls = 0;
      const measured = async (args: unknown[]) => {
        const started = performance.now();
        try {
          return await fn.apply(guard, args);
        } finally {
          metrics.guardTime(guard.name, hook, (performance.now() - started) / 1000);
        }
      };
      // An unsampled call goes straight through: no extra promise on the hot path.
      timed[hook] = (...args: unknown[]) => (calls++ % sample === 0 ? measured(args) : fn.apply(guard, args));
    }
    return timed as unknown as InferenceGuard;
  });
}
