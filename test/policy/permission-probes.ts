import type { LightMyRequestResponse } from 'fastify';
import { api } from '../gateway/gateway-fixtures.js';

export interface Caller {
  name: string;
  token: string;
  teams: string[];
}

/** One question to POST /api/v1/permissions, and the real call it stands for. */
export interface Probe {
  name: string;
  action: string;
  resource: Record<string, unknown> & { type: string };
  /** The real call, as `token`: only its 403 (or not) is compared. */
  call(token: string, who: Caller): Promise<LightMyRequestResponse>;
}

export type Send = (
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
) => Promise<LightMyRequestResponse>;

const inferBody = {
  inputs: [{ name: 'float_input', shape: [1, 4], datatype: 'FP32', data: [6.8, 2.8, 4.8, 1.4] }],
};

/**
 * An action of each kind of target, each with a real call that changes nothing that matters to the next
 * caller (a name taken, a version aliased, a version that does not exist, a token already revoked…), so the
 * same probes can be sent as every role in turn. `iris` (team ml) is live in production with alias
 * `champion` on version 1; `pendingId` is an open request in `review` (three approvals needed).
 */
export function permissionProbes(send: Send, ids: { pendingId: string; revokedTokenId: string }): Probe[] {
  const { pendingId, revokedTokenId } = ids;
  return [
    {
      name: 'list tokens',
      action: 'identity:token:list',
      resource: { type: 'global' },
      call: (k) => send(k, 'GET', `${api}/tokens`),
    },
    {
      name: 'issue a token for its teams',
      action: 'identity:token:create',
      resource: { type: 'global' },
      call: (k, who) =>
        send(k, 'POST', `${api}/tokens`, {
          name: `probe-${who.name.replace(/\W/g, '-')}`,
          roles: ['viewer'],
          teams: who.teams,
        }),
    },
    {
      name: 'revoke a team token',
      action: 'identity:token:revoke',
      resource: { type: 'token', id: revokedTokenId },
      call: (k) => send(k, 'DELETE', `${api}/tokens/${revokedTokenId}`),
    },
    {
      name: 'read the audit log',
      action: 'audit:log:read',
      resource: { type: 'global' },
      call: (k) => send(k, 'GET', `${api}/audit?limit=1`),
    },
    {
      name: 'verify the audit chain',
      action: 'audit:log:verify',
      resource: { type: 'global' },
      call: (k) => send(k, 'GET', `${api}/audit/verify`),
    },
    {
      name: 'list signers',
      action: 'signing:signer:list',
      resource: { type: 'global' },
      call: (k) => send(k, 'GET', `${api}/signers`),
    },
    {
      name: 'list webhooks',
      action: 'webhook:list',
      resource: { type: 'global' },
      call: (k) => send(k, 'GET', `${api}/webhooks`),
    },
    {
      name: 'read the metrics',
      action: 'metrics:read',
      resource: { type: 'global' },
      call: (k) => send(k, 'GET', '/metrics'),
    },
    {
      name: 'create a model for team ml',
      action: 'registry:model:create',
      resource: { type: 'new-model', model: 'iris', owner: 'ml' },
      // The name is taken: allowed answers 409 model_exists, and nothing is created.
      call: (k) => send(k, 'POST', `${api}/models`, { name: 'iris', owner: 'ml' }),
    },
    {
      name: 'read the model',
      action: 'registry:model:read',
      resource: { type: 'model', model: 'iris' },
      call: (k) => send(k, 'GET', `${api}/models/iris`),
    },
    {
      name: 'update the model',
      action: 'registry:model:update',
      resource: { type: 'model', model: 'iris' },
      call: (k) => send(k, 'PATCH', `${api}/models/iris`, { description: '' }),
    },
    {
      name: 'download a file',
      action: 'registry:artifact:read',
      resource: { type: 'version', model: 'iris', version: 1 },
      call: (k) => send(k, 'GET', `${api}/models/iris/versions/1/files/iris.onnx`),
    },
    {
      name: 'delete the version',
      action: 'registry:version:delete',
      resource: { type: 'version', model: 'iris', version: 'champion' },
      // An alias points at it: allowed answers 409 version_aliased, and nothing is deleted.
      call: (k) => send(k, 'DELETE', `${api}/models/iris/versions/1?reason=probe`),
    },
    {
      name: 'list attestations',
      action: 'attestation:list',
      resource: { type: 'version', model: 'iris', version: '1' },
      call: (k) => send(k, 'GET', `${api}/models/iris/versions/1/attestations`),
    },
    {
      name: 'move an alias',
      action: 'registry:alias:set',
      resource: { type: 'alias', model: 'iris', alias: 'champion' },
      call: (k) => send(k, 'PUT', `${api}/models/iris/aliases/champion`, { version: '1' }),
    },
    {
      name: 'show an environment',
      action: 'deploy:environment:list',
      resource: { type: 'environment', environment: 'production' },
      call: (k) => send(k, 'GET', `${api}/environments/production`),
    },
    {
      name: 'request a deployment',
      action: 'deploy:request',
      resource: { type: 'deployment', environment: 'production', model: 'iris' },
      // No version 99: allowed answers 404 after the decision, and nothing is requested.
      call: (k) => send(k, 'POST', `${api}/environments/production/requests`, { model: 'iris', version: 99 }),
    },
    {
      name: 'roll back',
      action: 'deploy:rollback',
      resource: { type: 'deployment', environment: 'production', model: 'iris' },
      call: (k) =>
        send(k, 'POST', `${api}/environments/production/models/iris/rollback`, { reason: 'probe' }),
    },
    {
      name: 'promote a canary',
      action: 'deploy:promote',
      resource: { type: 'deployment', environment: 'production', model: 'iris' },
      call: (k) => send(k, 'POST', `${api}/environments/production/models/iris/promote`, {}),
    },
    {
      name: 'show a request',
      action: 'deploy:read',
      resource: { type: 'deploy-request', id: pendingId },
      call: (k) => send(k, 'GET', `${api}/deploy-requests/${pendingId}`),
    },
    {
      name: 'approve a request (never its own)',
      action: 'deploy:approve',
      resource: { type: 'deploy-request', id: pendingId },
      call: (k) => send(k, 'POST', `${api}/deploy-requests/${pendingId}/approve`, { reason: 'probe' }),
    },
    {
      name: "read a deployment's guard policy",
      action: 'gateway:policy:read',
      resource: { type: 'guards', environment: 'production', model: 'iris' },
      call: (k) => send(k, 'GET', `${api}/environments/production/models/iris/guards`),
    },
    {
      name: 'read extraction alerts',
      action: 'gateway:alerts:read',
      resource: { type: 'guards', environment: 'production', model: 'iris' },
      call: (k) => send(k, 'GET', `${api}/environments/production/models/iris/guards/alerts`),
    },
    {
      name: 'call the model',
      action: 'inference:invoke',
      resource: { type: 'deployment', environment: 'production', model: 'iris' },
      call: (k) => send(k, 'POST', '/v2/models/iris/infer', inferBody),
    },
  ];
}
