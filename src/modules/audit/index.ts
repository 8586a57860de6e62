export * as auditErrors from './audit.errors.js';
export type { AuditStore, AuditStores, AuditUnitOfWork } from './audit.ports.js';
export {
  type AuditAction,
  type AuditGuard,
  type AuditService,
  type AuditServiceDeps,
  createAuditService,
  scopeOf,
} from './audit.service.js';
export type * from './audit.types.js';
export { auditOutcomes, chainProblems, checkpointReasons } from './audit.types.js';
export { type AuditLog, type AuditLogDeps, createAuditLog } from './audit-log.js';
export {
  type AuditListInput,
  type AuditQueryService,
  type AuditQueryServiceDeps,
  createAuditQueryService,
} from './audit-query.service.js';
export { type AuditRecorder, createAuditRecorder } from './audit-recorder.js';
export { type AuditTally, type AuditTallyDeps, createAuditTally, type TallyNote } from './audit-tally.js';
export { checkpointText, parseCheckpointText } from './checkpoint-note.js';
export { entryHash, genesisHash } from './entry-hash.js';
export {
  checkpointLine,
  type ExportRecord,
  entryLine,
  exportMediaType,
  parseExportLine,
} from './export-format.js';
export {
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseVerifierKey,
  signNote,
} from './signed-note.js';
export { type VerifyChainOptions, verifyChain } from './verify-chain.js';
