import type { AuditedAction } from '../policy/index.js';
import type { GatewayEvent } from './gateway.events.js';

/**
 * How a gateway event reads in the audit log, on the deployment it serves (`deployment:<env>/<model>`,
 * under the model's team). The wording changes only together with docs/audit.md and docs/gateway.md.
 */
export function describeGatewayEvent(e: GatewayEvent): AuditedAction {
  const target = { resource: `deployment:${e.environment}/${e.model}`, team: e.owner };
  const base = { version: e.version, digest: e.digest, slot: e.slot };
  switch (e.type) {
    case 'gateway.loaded':
      return { action: 'gateway:load', ...target, details: { ...base, loadMs: e.loadMs } };
    case 'gateway.load_failed':
      return {
        action: 'gateway:load',
        ...target,
        outcome: 'failed',
        details: { ...base, check: e.check, reason: e.reason },
      };
  }
}
