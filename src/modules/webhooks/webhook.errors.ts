import { defineError } from '../../platform/errors.js';
import { webhookEventTypes } from '../outbox/index.js';

export const webhookUrlInvalid = defineError('webhook_url_invalid', 'invalid', (reason: string) => ({
  message: `The webhook URL is not acceptable: ${reason}.`,
  details: { reason },
}));

export const webhookEventUnknown = defineError('webhook_event_unknown', 'invalid', (event: string) => ({
  message: `${JSON.stringify(event)} is not a webhook event; use * or some of ${webhookEventTypes.join(', ')}.`,
  details: { event, allowed: ['*', ...webhookEventTypes] },
}));

export const webhookEventsRequired = defineError(
  'webhook_events_required',
  'invalid',
  () => `Name the events the endpoint receives: * or some of ${webhookEventTypes.join(', ')}.`,
);

export const webhookTargetForbidden = defineError(
  'webhook_target_forbidden',
  'invalid',
  (host: string, address: string) => ({
    message: `${host} resolves to ${address}, a private, loopback, link-local or otherwise non-public address; webhooks may not target it (webhooks.allowPrivateTargets).`,
    details: { host, address },
  }),
);

export const webhookTargetUnresolvable = defineError(
  'webhook_target_unresolvable',
  'invalid',
  (host: string) => ({
    message: `The webhook host ${host} does not resolve to any address.`,
    details: { host },
  }),
);

export const webhookLimitReached = defineError('webhook_limit_reached', 'invalid', (limit: number) => ({
  message: `There are already ${limit} webhook endpoints, the most Warden keeps; remove one first.`,
  details: { limit },
}));

export const webhookNotFound = defineError('webhook_not_found', 'not_found', (id: string) => ({
  message: `There is no webhook endpoint with id ${JSON.stringify(id)}.`,
  details: { id },
}));
