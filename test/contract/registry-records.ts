import { createHash } from 'node:crypto';
import type {
  AliasEvent,
  AliasRecord,
  ModelRecord,
  VersionFile,
  VersionRecord,
} from '../../src/modules/registry/registry.types.js';
import { newId } from '../../src/platform/ids.js';

/** Records for the registry store contract: complete, valid, and distinct unless a test says otherwise. */

export const at = (second: number): string => new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString();

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function aModel(overrides: Partial<ModelRecord> = {}): ModelRecord {
  const id = newId();
  return {
    id,
    name: `model-${id.slice(-12)}`,
    description: 'a test model',
    owner: 'team-ml',
    tags: [],
    createdBy: 'alice',
    createdByName: 'Alice',
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

export function aVersion(
  model: Pick<ModelRecord, 'id'>,
  number: number,
  overrides: Partial<VersionRecord> = {},
): VersionRecord {
  return {
    id: newId(),
    modelId: model.id,
    number,
    digest: sha256(`${model.id}/${number}`),
    kind: 'file',
    format: 'onnx',
    size: 1234,
    fileCount: 1,
    ioSignature: null,
    scan: null,
    metrics: {},
    params: {},
    metadata: {},
    lineage: { datasetDigests: [], trainingRun: null, parentVersionId: null, sourceCommit: null },
    createdBy: 'alice',
    createdByName: 'Alice',
    createdAt: at(number),
    deleted: null,
    ...overrides,
  };
}

export function someFiles(count: number, prefix = 'f'): VersionFile[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `${prefix}/${String(i).padStart(5, '0')}.bin`,
    digest: sha256(`${prefix}/${i}`),
    size: i + 1,
  }));
}

export function anAlias(
  version: Pick<VersionRecord, 'id' | 'modelId'>,
  name: string,
  overrides: Partial<AliasRecord> = {},
): AliasRecord {
  return {
    modelId: version.modelId,
    name,
    versionId: version.id,
    updatedBy: 'alice',
    updatedByName: 'Alice',
    updatedAt: at(10),
    ...overrides,
  };
}

export function anAliasEvent(
  version: Pick<VersionRecord, 'id' | 'modelId'>,
  alias: string,
  overrides: Partial<AliasEvent> = {},
): AliasEvent {
  return {
    id: newId(),
    modelId: version.modelId,
    alias,
    fromVersionId: null,
    toVersionId: version.id,
    actor: 'alice',
    actorName: 'Alice',
    reason: null,
    at: at(20),
    ...overrides,
  };
}

export const byPath = (a: VersionFile, b: VersionFile): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
