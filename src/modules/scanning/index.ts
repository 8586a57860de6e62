export { type ContentScan, type ContentScanner, createContentScanner } from './content-scanner.js';
export { classifyGlobal, type GlobalVerdict, safeGlobals } from './dangerous-globals.js';
export { PickleScanner, type PickleScanResult } from './pickle-scanner.js';
export { unsafeModel } from './scan-errors.js';
export {
  buildScanAttestation,
  createFileScanner,
  type FileScanner,
  reachesThreshold,
  type ScanModelOptions,
  scanModelPath,
} from './scan-model.js';
export type { FileScanResult, FindingKind, ScanAttestation, ScanFinding, ScanFormat } from './scan-types.js';
export { isSeverity, maxSeverity, type Severity, severities } from './severity.js';
