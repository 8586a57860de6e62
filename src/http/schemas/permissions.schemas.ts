import Type from 'typebox';
import { tokenIdPattern } from '../../modules/identity/api-token.js';
import { Slug } from './common.schemas.js';
import { RequestId, VersionRefText } from './deploy.schemas.js';

const target = (type: string, fields: Parameters<typeof Type.Object>[0], description: string) =>
  Type.Object({ type: Type.Literal(type), ...fields }, { additionalProperties: false, description });

/** The resources a check may name; the module owning each decides it on the real resource. */
export const PermissionResource = Type.Union([
  target('global', {}, 'Tokens (issue, list), signers, webhooks, the audit log, the metrics, environments'),
  target(
    'new-model',
    {
      model: Slug,
      owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
      tags: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { maxItems: 50 })),
    },
    'A model to be created (registry:model:create), as POST /models would be asked',
  ),
  target('model', { model: Slug }, 'An existing model'),
  target('version', { model: Slug, version: VersionRefText }, "A model's version"),
  target('alias', { model: Slug, alias: Slug }, "A model's alias (set or not)"),
  target('deployment', { environment: Slug, model: Slug }, "A model's deployments in an environment"),
  target('deploy-request', { id: RequestId }, 'One deployment request'),
  target('environment', { environment: Slug }, 'A deployment environment'),
  target('guards', { environment: Slug, model: Slug }, "A deployment's guard policy and alerts"),
  target(
    'monitor',
    { environment: Slug, model: Slug },
    "A deployment's monitoring: windows, drift, alerts, labels, monitor policy",
  ),
  target('token', { id: Type.String({ pattern: tokenIdPattern }) }, 'An API token (revoke)'),
]);

export const PermissionsBody = Type.Object(
  {
    checks: Type.Array(
      Type.Object(
        {
          action: Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'A policy action (docs/policy.md)',
          }),
          resource: PermissionResource,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);

export const PermissionsResponse = Type.Object({
  results: Type.Array(Type.Object({ action: Type.String(), allowed: Type.Boolean() }), {
    description: 'One per check, in the order asked',
  }),
});
