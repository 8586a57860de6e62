import type { AuditedAction } from '../policy/index.js';
import type { WebhookEvent } from './webhook.events.js';

/**
 * How a webhook change reads in the audit log (never the secret). Endpoints are global objects: a webhook
 * receives every team's events, so their entries belong to no team (unscoped administrators see them).
 */
export function describeWebhookEvent(e: WebhookEvent): AuditedAction {
  switch (e.type) {
    case 'webhook.endpoint.created':
      return {
        action: 'webhook:create',
        resource: `webhook:${e.endpointId}`,
        team: null,
        details: { url: e.url, events: e.events.join(',') },
      };
    case 'webhook.endpoint.removed':
      return {
        action: 'webhook:delete',
        resource: `webhook:${e.endpointId}`,
        team: null,
        details: { url: e.url, cancelled: e.cancelled },
      };
  }
}
