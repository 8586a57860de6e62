import type { AuditDetails, AuditEvent, AuditStore } from '../audit/index.js';
import { auditActor, type CallContext } from '../identity/index.js';
import type { AccessGuard, ResourceRef } from '../policy/index.js';
import type { ModelRecord, VersionRecord } from './registry.types.js';

/** What the registry needs from policy and audit; the composition root supplies both. */
export interface RegistryAccess {
  guard: AccessGuard;
  /** Appends an event on the change's own transaction (fail-closed: a failure rolls the change back). */
  audit: { append(store: AuditStore, event: AuditEvent): Promise<unknown> };
  /** Records an event that changes nothing else (an artifact download) on a transaction of its own. */
  recorder: { record(event: AuditEvent): Promise<unknown> };
}

const modelAttributes = (m: Pick<ModelRecord, 'name' | 'owner' | 'tags'>) => ({
  name: m.name,
  owner: m.owner,
  tags: m.tags,
});

export const modelResource = (m: Pick<ModelRecord, 'name' | 'owner' | 'tags'>): ResourceRef => ({
  type: 'Model',
  model: modelAttributes(m),
});

export const versionResource = (m: ModelRecord, v: VersionRecord): ResourceRef => ({
  type: 'Version',
  model: modelAttributes(m),
  version: { number: v.number, format: v.format, digest: v.digest },
});

export const aliasResource = (m: ModelRecord, alias: string): ResourceRef => ({
  type: 'Alias',
  model: modelAttributes(m),
  alias,
});

/**
 * A successful registry action as the audit log records it. `team` is the owner of the model the action
 * concerns (null for global objects such as trusted signers): team-scoped administrators see its entries.
 */
export function successEvent(
  ctx: CallContext,
  action: string,
  resource: string,
  details: AuditDetails | undefined,
  team: string | null,
): AuditEvent {
  return {
    action,
    outcome: 'success',
    ...auditActor(ctx),
    resource,
    team,
    ...(details ? { details } : {}),
  };
}
