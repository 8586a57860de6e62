import type { AuditUnitOfWork } from './audit.ports.js';
import type { AuditEntry, AuditEvent } from './audit.types.js';
import type { AuditLog } from './audit-log.js';

export type AuditRecorder = ReturnType<typeof createAuditRecorder>;

/**
 * Records events that change nothing else (an authorization denial, a failed authentication, an artifact
 * download) on a transaction of their own. Callers await it before going on, so a download whose record
 * cannot be written is refused rather than served unrecorded. A change records through
 * `AuditLog.append` on its own transaction instead.
 */
export function createAuditRecorder(deps: { uow: AuditUnitOfWork; log: Pick<AuditLog, 'append'> }) {
  return {
    record: (event: AuditEvent): Promise<AuditEntry> =>
      deps.uow.run((stores) => deps.log.append(stores.audit, event)),
  };
}
