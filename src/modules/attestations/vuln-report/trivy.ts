import type { Severity } from '../../../platform/severity.js';
import type { VulnSummary } from '../attestation.types.js';
import { childPath, isObject, type JsonObject, shapeOf } from './shape.js';
import { createTally, toolName } from './tally.js';

const trivySeverities = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** Trivy's words on Warden's scale; UNKNOWN ranks high (fail-closed). */
const severityOf: Record<(typeof trivySeverities)[number], Severity> = {
  UNKNOWN: 'high',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};

/**
 * Trivy `--format json` (`SchemaVersion: 2`, Trivy 0.20 and later): one finding per entry of each
 * target's `Vulnerabilities` (the same CVE in two packages is two findings, as Trivy lists it), at its
 * `Severity`. Misconfigurations, secrets and licenses in the same report are not vulnerabilities and are
 * not counted.
 */
export function summarizeTrivy(doc: JsonObject): VulnSummary {
  const shape = shapeOf('trivy');
  if (doc.SchemaVersion !== 2) shape.fail('$.SchemaVersion', 'must be 2 (Trivy 0.20 or later)');
  const results = shape.array(doc.Results, '$.Results', { optional: true });
  const tally = createTally();
  results.forEach((value, i) => {
    const at = childPath('$.Results', i);
    const result = shape.object(value, at);
    const vulns = shape.array(result.Vulnerabilities, childPath(at, 'Vulnerabilities'), { optional: true });
    vulns.forEach((v, j) => {
      const vulnAt = childPath(childPath(at, 'Vulnerabilities'), j);
      const vuln = shape.object(v, vulnAt);
      const id = shape.string(vuln.VulnerabilityID, childPath(vulnAt, 'VulnerabilityID'));
      const severity = shape.oneOf(vuln.Severity, childPath(vulnAt, 'Severity'), trivySeverities);
      tally.add(severityOf[severity], [id]);
    });
  });
  const version = isObject(doc.Trivy) ? doc.Trivy.Version : undefined;
  return tally.summary('trivy', toolName('trivy', version));
}
