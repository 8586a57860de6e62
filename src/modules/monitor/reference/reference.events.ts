import type { AuditedAction } from '../../policy/index.js';
import type { EventModel } from '../../registry/index.js';
import type { ReferenceProfile } from '../monitor.types.js';

/** What attaching and reading reference datasets records, each on its own typed event. */
export type ReferenceEvent =
  | {
      type: 'monitor.reference.set';
      model: EventModel;
      version: number;
      digest: string;
      format: ReferenceProfile['format'];
      size: number;
      rows: number;
      columns: number;
      /** The dataset it replaced, if any (the audit log is the history of replacements). */
      replaced: string | null;
    }
  | { type: 'monitor.reference.read'; model: EventModel; version: number; digest: string };

const sha = (hex: string) => `sha256:${hex}`;

/** How a reference event reads in the audit log (docs/audit.md wording: action, resource, details). */
export function describeReferenceEvent(e: ReferenceEvent): AuditedAction {
  const resource = `version:${e.model.name}@${e.version}`;
  if (e.type === 'monitor.reference.set') {
    return {
      action: 'monitor:reference:set',
      resource,
      team: e.model.owner,
      details: {
        digest: sha(e.digest),
        format: e.format,
        size: e.size,
        rows: e.rows,
        columns: e.columns,
        replaced: e.replaced ? sha(e.replaced) : null,
      },
    };
  }
  return {
    action: 'monitor:reference:read',
    resource,
    team: e.model.owner,
    details: { digest: sha(e.digest), download: true },
  };
}
