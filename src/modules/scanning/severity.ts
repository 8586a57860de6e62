// The scale moved to platform (scanning and attestations both rank findings on it); kept here so the
// scanner's files and its index read it as before.
export { isSeverity, maxSeverity, type Severity, severities, severityRank } from '../../platform/severity.js';
