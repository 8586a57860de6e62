import type { paths } from '../api/schema';

/** Query keys of the admin pages' lists, invalidated after each change. */
export const adminKeys = {
  tokens: ['admin', 'tokens'] as const,
  signers: ['admin', 'signers'] as const,
  webhooks: ['admin', 'webhooks'] as const,
  deliveries: ['admin', 'webhook-deliveries'] as const,
  environments: ['admin', 'environments'] as const,
};

export type TokenRole =
  paths['/api/v1/tokens']['get']['responses'][200]['content']['application/json'][number]['roles'][number];

/** Every role a token may hold, in order of reach (the server's list; the type checks it). */
export const tokenRoles = [
  'viewer',
  'contributor',
  'deployer',
  'approver',
  'admin',
] as const satisfies readonly TokenRole[];

export type WebhookEvent =
  paths['/api/v1/webhooks/deliveries']['get']['responses'][200]['content']['application/json']['items'][number]['eventType'];

/** The event types an endpoint may subscribe to (the server's list; the type checks it). */
export const webhookEvents = [
  'version.pushed',
  'deployment.requested',
  'deployment.approval_needed',
  'deployment.applied',
  'deployment.rejected',
  'deployment.rolled_back',
  'canary.changed',
] as const satisfies readonly WebhookEvent[];
