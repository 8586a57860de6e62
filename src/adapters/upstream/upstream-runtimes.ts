import type { UpstreamSettings } from '../../config/upstreams.js';
import type { ModelRuntime, RuntimeFor } from '../../modules/gateway/index.js';
import type { Logger } from '../../platform/logger.js';
import { createOpenAiUpstream } from './openai-upstream.js';
import { createV2Upstream } from './v2-upstream.js';

/**
 * One runtime per configured upstream, made once (its breaker and concurrency limit outlive any version's
 * session), looked up by model name; a model with no upstream gets the default runtime.
 */
export function createUpstreamRuntimes(
  upstreams: Readonly<Record<string, UpstreamSettings>>,
  logger: Logger,
): RuntimeFor {
  const runtimes = new Map<string, ModelRuntime>();
  for (const [model, settings] of Object.entries(upstreams))
    runtimes.set(
      model,
      settings.protocol === 'v2'
        ? createV2Upstream(settings, logger.child({ upstream: model }))
        : createOpenAiUpstream(settings),
    );
  return (model) => runtimes.get(model);
}
