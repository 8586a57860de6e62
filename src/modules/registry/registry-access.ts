import type { Access, ResourceRef } from '../policy/index.js';
import type { EventModel, RegistryEvent } from './registry.events.js';
import type { ModelRecord, VersionRecord } from './registry.types.js';

/**
 * What the registry needs from policy and audit: the one access contract, speaking registry events. A use
 * case calls `require` against the real resource, then `record` on the change's unit of work.
 */
export type RegistryAccess = Access<RegistryEvent>;

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

/** The model as its events name it. */
export const eventModel = (m: Pick<ModelRecord, 'name' | 'owner'>): EventModel => ({
  name: m.name,
  owner: m.owner,
});
