import { defineError } from '../../platform/errors.js';
import type { ChainProblem } from './audit.types.js';

export const auditChainBroken = defineError(
  'audit_chain_broken',
  'integrity',
  (where: string, firstBad: { seq: number; reason: ChainProblem } | null, problems: number) => ({
    message: firstBad
      ? `The audit log ${where} does not verify: entry ${firstBad.seq} is bad (${firstBad.reason.replaceAll('_', ' ')}).`
      : `The audit log ${where} does not verify: ${problems} checkpoint problem(s).`,
    details: {
      ...(firstBad ? { seq: firstBad.seq, reason: firstBad.reason } : {}),
      checkpointProblems: problems,
    },
  }),
);
export const auditEventInvalid = defineError('audit_event_invalid', 'internal', (reason: string) => ({
  message: 'An audit event could not be recorded, so the change it describes was not made.',
  details: { reason },
}));
export const auditKeyUnreadable = defineError(
  'audit_key_unreadable',
  'unavailable',
  (file: string, reason: string) => ({
    message: `The audit signing key ${file} cannot be used (${reason}); Warden will not start without it. Restore the file from a backup, or follow the key rotation steps in docs/audit.md.`,
    details: { file },
  }),
);
export const auditKeyInsecure = defineError(
  'audit_key_insecure',
  'unavailable',
  (file: string, mode: string) => ({
    message: `The audit signing key ${file} is readable by group or others (mode ${mode}); run \`chmod 600 ${file}\` and start again.`,
    details: { file, mode },
  }),
);
export const auditVkeyInvalid = defineError('audit_vkey_invalid', 'invalid', (reason: string) => ({
  message: `Not an audit verifier key (NAME+KEYID+BASE64 Ed25519 public key): ${reason}.`,
  details: { reason },
}));
export const auditExportMalformed = defineError(
  'audit_export_malformed',
  'integrity',
  (line: number, reason: string) => ({
    message: `Line ${line} of the audit export is not a valid record (${reason}); the file was altered or damaged.`,
    details: { line, reason },
  }),
);
export const auditFileUnreadable = defineError(
  'audit_file_unreadable',
  'invalid',
  (file: string, reason: string) => ({
    message: `Cannot read ${file} (${reason}).`,
    details: { file },
  }),
);
export const auditQueryInvalid = defineError(
  'audit_query_invalid',
  'invalid',
  (field: string, reason: string) => ({
    message: `The audit query's ${field} ${reason}.`,
    details: { field },
  }),
);
