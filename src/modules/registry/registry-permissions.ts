import {
  type AccessGuard,
  type PermissionDecider,
  type PolicyAction,
  policyActions,
  type ResourceType,
} from '../policy/index.js';
import { modelToBe } from './model-to-be.js';
import { versionNotFound } from './registry.errors.js';
import type { Stores } from './registry.ports.js';
import { aliasResource, modelResource, versionResource } from './registry-access.js';
import { resolveVersion } from './resolve-version.js';
import { parseVersionRef } from './version-ref.js';

/** The registry's permission targets, named as the routes name them. */
export type RegistryTarget =
  /** A model about to be created: `registry:model:create` (decided on the name, owner and tags given). */
  | { type: 'new-model'; model: string; owner?: string; tags?: string[] }
  | { type: 'model'; model: string }
  /** `version`: a number, an alias or a digest (sha256:<hex ≥ 12>), as in a route's `{ref}`. */
  | { type: 'version'; model: string; version: string | number }
  /** An alias, whether or not it points anywhere yet (setting one creates it). */
  | { type: 'alias'; model: string; alias: string };

export interface RegistryPermissionDeps {
  read: Pick<Stores, 'registry'>;
  access: Pick<AccessGuard, 'allows'>;
}

const decidedOn = (type: ResourceType) =>
  (Object.keys(policyActions) as PolicyAction[]).filter((a) => policyActions[a].resource === type);

/**
 * "May the caller do this?" on models, versions and aliases (attestations included: they are decided on
 * the version), against the stored model's owner and tags and the resolved version, as the registry's use
 * cases decide. A model or version that does not exist is not allowed; a malformed reference is refused.
 */
export function createRegistryPermissions(deps: RegistryPermissionDeps): PermissionDecider<RegistryTarget> {
  const { read, access } = deps;
  return {
    actions: {
      'new-model': ['registry:model:create'],
      model: decidedOn('Model').filter((a) => a !== 'registry:model:create'),
      version: decidedOn('Version'),
      alias: decidedOn('Alias'),
    },
    async allows(ctx, action, target) {
      if (target.type === 'new-model') {
        const input = { name: target.model, owner: target.owner, tags: target.tags ?? [] };
        return access.allows(ctx, action, modelResource(modelToBe(ctx, input)));
      }
      const model = await read.registry.findModelByName(target.model);
      if (!model) return false;
      switch (target.type) {
        case 'model':
          return access.allows(ctx, action, modelResource(model));
        case 'alias':
          return access.allows(ctx, action, aliasResource(model, target.alias));
        case 'version': {
          const ref = parseVersionRef(String(target.version));
          const version = await resolveVersion(read.registry, model, ref).catch((err: unknown) => {
            if (versionNotFound.is(err)) return null;
            throw err;
          });
          return version !== null && access.allows(ctx, action, versionResource(model, version));
        }
      }
    },
  };
}
