import type { DeployStore } from '../../deploy/index.js';
import type { ServingStats, StatsFigures } from '../../gateway/index.js';
import type { RegistryStore } from '../../registry/index.js';
import type { IntervalSample } from '../alerts/alert-engine.js';

export interface GatewayIntervalDeps {
  /** The environment the gateway serves. */
  environment: string;
  read: {
    deploy: Pick<DeployStore, 'listLive'>;
    registry: Pick<RegistryStore, 'findModelById' | 'findVersionById'>;
  };
  stats: Pick<ServingStats, 'read'>;
  /** Principals the extraction watch holds suspect or throttled for a model now. */
  extractionAlerts: (model: string) => number;
  /**
   * Failed authentications of the whole process so far (a failed authentication names no model: each
   * served deployment reads the gateway's rate).
   */
  authFailures: () => number;
}

const rateLimitedCode = 'gateway_rate_limited';
const blockedCode = 'gateway_input_blocked';

/**
 * The gateway's counters of each deployment it serves, over the last complete minute: requests, 5xx, p99
 * latency and refusals from the serving stats (every digest of the model together, attributed to the
 * canary when one is live, else to the stable version), the extraction watch's alerts, and the failed
 * authentications since the previous call.
 */
export function createGatewayIntervals(deps: GatewayIntervalDeps) {
  let lastAuthFailures = deps.authFailures();
  return {
    async samples(_now: Date): Promise<IntervalSample[]> {
      const failures = deps.authFailures();
      const authFailures = Math.max(0, failures - lastAuthFailures);
      lastAuthFailures = failures;
      const samples: IntervalSample[] = [];
      for (const live of await deps.read.deploy.listLive(deps.environment)) {
        const slot = live.candidate ?? live.stable;
        if (!slot) continue;
        const model = await deps.read.registry.findModelById(live.modelId);
        const version = await deps.read.registry.findVersionById(slot.versionId);
        if (!model || !version) continue;
        const window = deps.stats.read([model.name], 2).models[0];
        const minute: StatsFigures | undefined = window?.minutes.at(-2);
        samples.push({
          environment: deps.environment,
          model: model.name,
          version: version.number,
          digest: slot.digest,
          counters: {
            minutes: 1,
            requests: minute?.requests ?? 0,
            errors: minute?.status['5xx'] ?? 0,
            p99LatencyMs: minute?.latencyMs?.p99 ?? null,
            authFailures,
            rateLimited: minute?.refusals[rateLimitedCode] ?? 0,
            screeningBlocks: minute?.refusals[blockedCode] ?? 0,
            extractionAlerts: deps.extractionAlerts(model.name),
          },
        });
      }
      return samples;
    },
  };
}
