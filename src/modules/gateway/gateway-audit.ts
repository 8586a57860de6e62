import type { AuditedAction } from '../policy/index.js';
import type { GatewayEvent, GuardStates } from './gateway.events.js';

/** "all on", or the guards that are off: an audit detail is a flat value. */
const summary = (states: GuardStates) => {
  const off = Object.entries(states)
    .filter(([, on]) => !on)
    .map(([name]) => name);
  return off.length === 0 ? 'all on' : `off: ${off.join(', ')}`;
};

/**
 * How a gateway event reads in the audit log, on the deployment it serves (`deployment:<env>/<model>`,
 * under the model's team). The wording changes only together with docs/audit.md and docs/gateway.md.
 */
export function describeGatewayEvent(e: GatewayEvent): AuditedAction {
  const target = { resource: `deployment:${e.environment}/${e.model}`, team: e.owner };
  switch (e.type) {
    case 'gateway.loaded':
      return {
        action: 'gateway:load',
        ...target,
        details: { version: e.version, digest: e.digest, slot: e.slot, loadMs: e.loadMs },
      };
    case 'gateway.load_failed':
      return {
        action: 'gateway:load',
        ...target,
        outcome: 'failed',
        details: { version: e.version, digest: e.digest, slot: e.slot, check: e.check, reason: e.reason },
      };
    case 'gateway.extraction_alert':
      return {
        action: 'gateway:extraction',
        ...target,
        details: {
          principal: e.principal,
          from: e.from,
          to: e.to,
          stage: e.stage,
          rateFactor: e.rateFactor,
          signals: e.signals.join(', '),
          reason: e.reason,
        },
      };
    case 'gateway.policy_set':
    case 'gateway.policy_reset':
      return {
        action: 'gateway:configure',
        ...target,
        details: {
          change: e.type === 'gateway.policy_set' ? 'set' : 'reset',
          revision: e.revision,
          overridden: e.overridden.join(', '),
          before: summary(e.before),
          after: summary(e.after),
          weakens: e.weakens.join(', '),
          reason: e.reason,
        },
      };
  }
}
