import { auditExportMalformed } from './audit.errors.js';
import { type AuditEntry, auditOutcomes, type Checkpoint } from './audit.types.js';

/**
 * The export file: JSON Lines, one `{"type":"entry",…}` per entry in seq order, then one
 * `{"type":"checkpoint",…}` per signed checkpoint, the last of which signs the last entry.
 */
export type ExportRecord =
  | { type: 'entry'; entry: AuditEntry }
  | { type: 'checkpoint'; checkpoint: Checkpoint };

export const exportMediaType = 'application/x-ndjson';

export function entryLine(entry: AuditEntry): string {
  return `${JSON.stringify({ type: 'entry', ...entry })}\n`;
}

export function checkpointLine(cp: Checkpoint): string {
  return `${JSON.stringify({ type: 'checkpoint', size: cp.size, hash: cp.hash, note: cp.note, at: cp.at })}\n`;
}

const entryKeys = new Set([
  'type',
  'seq',
  'id',
  'at',
  'action',
  'outcome',
  'principal',
  'resource',
  'requestId',
  'clientAddress',
  'actorName',
  'credential',
  'team',
  'details',
  'prevHash',
  'hash',
]);
const checkpointKeys = new Set(['type', 'size', 'hash', 'note', 'at']);

/** Reads one line of an export; throws audit_export_malformed (naming the line) for anything else. */
export function parseExportLine(line: string, lineNo: number): ExportRecord {
  const fail = (reason: string) => auditExportMalformed(lineNo, reason);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw fail('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('not a JSON object');
  const r = value as Record<string, unknown>;
  const extra = Object.keys(r).find((k) => !(r.type === 'checkpoint' ? checkpointKeys : entryKeys).has(k));
  if (extra !== undefined) throw fail(`unexpected field ${JSON.stringify(extra)}`);
  const isStr = (k: string) => typeof r[k] === 'string';
  const isStrOrNull = (k: string) => r[k] === null || typeof r[k] === 'string';
  const isCount = (k: string) => Number.isSafeInteger(r[k]) && (r[k] as number) >= 0;

  if (r.type === 'checkpoint') {
    if (!isCount('size') || !isStr('hash') || !isStr('note') || !isStr('at'))
      throw fail('bad checkpoint fields');
    return {
      type: 'checkpoint',
      checkpoint: {
        size: r.size as number,
        hash: r.hash as string,
        note: r.note as string,
        at: r.at as string,
      },
    };
  }
  if (r.type !== 'entry') throw fail('unknown record type');
  const fieldsOk =
    isCount('seq') &&
    ['id', 'at', 'action', 'prevHash', 'hash'].every(isStr) &&
    ['principal', 'resource', 'requestId', 'clientAddress'].every(isStrOrNull) &&
    auditOutcomes.includes(r.outcome as never);
  if (!fieldsOk) throw fail('bad entry fields');
  // Optional since migration 0007: absent in older entries, present and well-formed in newer ones.
  if (!['actorName', 'team'].every((k) => r[k] === undefined || isStr(k))) throw fail('bad entry fields');
  if (r.credential !== undefined) {
    const c = r.credential;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw fail('credential is not an object');
    if (Object.values(c).some((v) => v !== null && typeof v !== 'string'))
      throw fail('bad credential fields');
  }
  if (r.details !== undefined) {
    const d = r.details;
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw fail('details is not an object');
    if (Object.values(d).some((v) => v !== null && typeof v === 'object')) throw fail('details is not flat');
  }
  const { type: _type, ...entry } = r;
  return { type: 'entry', entry: entry as unknown as AuditEntry };
}
