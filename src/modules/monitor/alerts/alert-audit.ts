import type { OutboxNotice } from '../../outbox/index.js';
import type { AuditedAction } from '../../policy/index.js';
import type { MonitorEvent } from './alert.events.js';

/**
 * How a monitor event reads in the audit log, on the deployment (`deployment:<env>/<model>`, under the
 * model's team), and the webhook each alert transition sends. The wording changes only together with
 * docs/audit.md and docs/webhooks.md.
 */
export function describeMonitorEvent(e: MonitorEvent): AuditedAction {
  if (!('alert' in e))
    return {
      action: 'monitor:configure',
      resource: `deployment:${e.environment}/${e.model}`,
      team: e.owner,
      details: {
        change: e.type === 'monitor.policy_set' ? 'set' : 'reset',
        revision: e.revision,
        reason: e.reason,
      },
    };
  const a = e.alert;
  const firing = e.type === 'monitor.alert_fired';
  const data = {
    environment: a.environment,
    model: a.model,
    owner: e.owner,
    alert: a.id,
    rule: a.rule,
    severity: a.severity,
    state: a.state,
    value: a.value,
    threshold: a.threshold,
    firedAt: a.firedAt,
    resolvedAt: a.resolvedAt,
    window: a.windowId,
    version: a.version,
    digest: `sha256:${a.digest}`,
  };
  const notify: OutboxNotice = { type: firing ? 'monitor.alert.firing' : 'monitor.alert.resolved', data };
  return {
    action: firing ? 'monitor:alert:fire' : 'monitor:alert:resolve',
    resource: `deployment:${a.environment}/${a.model}`,
    team: e.owner,
    details: {
      alert: a.id,
      rule: a.rule,
      severity: a.severity,
      value: a.value,
      threshold: a.threshold,
      window: a.windowId,
      version: a.version,
      digest: `sha256:${a.digest}`,
    },
    notify,
  };
}
