import type { ColumnKind, ColumnRole, ColumnSource, ReferenceProfile } from '../monitor.types.js';
import type { ReferenceRecord } from './reference.ports.js';

/** A reference dataset as the API shows it: roles, kinds and counts per column; samples only when asked. */
export interface ReferenceView {
  model: string;
  version: number;
  digest: string;
  format: ReferenceProfile['format'];
  size: number;
  rows: number;
  /** `model`: prediction and probability columns are the model's own answers on a sample of the rows. */
  answersFrom: 'dataset' | 'model';
  setBy: string;
  setByName: string | null;
  setAt: string;
  columns: {
    name: string;
    role: ColumnRole;
    kind: ColumnKind;
    source: ColumnSource | null;
    count: number | null;
    missing: number | null;
    sample?: (number | string)[];
  }[];
}

export function referenceView(model: string, r: ReferenceRecord, withSamples: boolean): ReferenceView {
  const { profile } = r;
  return {
    model,
    version: r.version,
    digest: `sha256:${profile.datasetDigest}`,
    format: profile.format,
    size: r.size,
    rows: profile.rows,
    answersFrom: profile.answersFrom ?? 'dataset',
    setBy: r.setBy,
    setByName: r.setByName,
    setAt: r.setAt,
    columns: profile.columns.map((c) => {
      const s = profile.samples[c.name];
      return {
        name: c.name,
        role: c.role,
        kind: c.kind,
        source: c.source,
        count: s?.count ?? null,
        missing: s?.missing ?? null,
        ...(withSamples && s ? { sample: s.values } : {}),
      };
    }),
  };
}
