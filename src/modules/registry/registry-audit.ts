import type { AuditedAction } from '../policy/index.js';
import type { RegistryEvent } from './registry.events.js';
import { sha } from './registry.views.js';

/**
 * How a registry event reads in the audit log. The wording (actions, resource names, detail keys) is what
 * operators and their tools search for: it changes only together with docs/audit.md.
 */
export function describeRegistryEvent(e: RegistryEvent): AuditedAction {
  switch (e.type) {
    case 'registry.model.created':
      return {
        action: 'registry:model:create',
        resource: `model:${e.model.name}`,
        team: e.model.owner,
        details: { owner: e.model.owner, tags: e.tags.join(',') },
      };
    case 'registry.model.updated':
      return {
        action: 'registry:model:update',
        resource: `model:${e.model.name}`,
        team: e.model.owner,
        details: {
          ...(e.descriptionChanged ? { description: 'changed' } : {}),
          ...(e.tags ? { tags: e.tags.now.join(','), previousTags: e.tags.before.join(',') } : {}),
        },
      };
    case 'registry.version.pushed':
      return {
        action: 'registry:version:push',
        resource: `version:${e.model.name}@${e.version}`,
        team: e.model.owner,
        details: { digest: sha(e.digest), files: e.files, size: e.size },
        notify: {
          type: 'version.pushed',
          data: {
            model: e.model.name,
            owner: e.model.owner,
            version: e.version,
            digest: sha(e.digest),
            files: e.files,
            size: e.size,
          },
        },
      };
    case 'registry.version.deleted':
      return {
        action: 'registry:version:delete',
        resource: `version:${e.model.name}@${e.version}`,
        team: e.model.owner,
        details: { digest: sha(e.digest), files: e.files, reason: e.reason },
      };
    case 'registry.artifact.read':
      return {
        action: 'registry:artifact:read',
        resource: `version:${e.model.name}@${e.version}`,
        team: e.model.owner,
        details: {
          path: e.path,
          digest: sha(e.digest),
          ...(e.signatures === 'none' ? {} : { signatures: e.signatures }),
        },
      };
    case 'registry.alias.set':
      return {
        action: 'registry:alias:set',
        resource: `alias:${e.model.name}@${e.alias}`,
        team: e.model.owner,
        details: { from: e.from, to: e.to, reason: e.reason },
      };
    case 'registry.alias.removed':
      return {
        action: 'registry:alias:delete',
        resource: `alias:${e.model.name}@${e.alias}`,
        team: e.model.owner,
        details: { from: e.from, reason: e.reason },
      };
    case 'registry.signature.attached':
      return {
        action: 'registry:signature:attach',
        resource: `version:${e.model.name}@${e.version}`,
        team: e.model.owner,
        details: {
          signer: e.signer,
          keyHint: e.keyHint,
          status: e.status,
          detail: e.detail,
          digest: sha(e.digest),
        },
      };
    // Trusted signers are global objects: unscoped administrators alone see their entries.
    case 'signing.signer.created':
      return {
        action: 'signing:signer:create',
        resource: `signer:${e.signer}`,
        team: null,
        details: { keyHint: e.keyHint, curve: e.curve, environments: e.environments.join(',') },
      };
    case 'signing.signer.revoked':
      return {
        action: 'signing:signer:revoke',
        resource: `signer:${e.signer}`,
        team: null,
        details: { keyHint: e.keyHint },
      };
  }
}
