import { maxSeverity, type Severity } from '../../../platform/severity.js';
import type { VulnSummary } from '../attestation.types.js';
import { severityOfCvssScore } from './cvss.js';
import { childPath, isObject, type JsonObject, shapeOf } from './shape.js';
import { createTally } from './tally.js';

/** The advisory databases' own words (GitHub's `database_specific.severity`) on Warden's scale. */
const databaseSeverities: Record<string, Severity> = {
  low: 'low',
  moderate: 'medium',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/**
 * OSV-Scanner `--format json` (v1.x and v2.x): `results[].packages[]`, each with its `vulnerabilities`
 * (full OSV records) and `groups` (the records osv-scanner takes for one vulnerability, with `max_severity`,
 * the highest CVSS base score among them). One finding per group; a record no group names is a finding of
 * its own. A finding's severity is the higher of its CVSS band and the records'
 * `database_specific.severity`; a finding with neither ranks **high** (unknown severity, fail-closed).
 */
export function summarizeOsvScanner(doc: JsonObject): VulnSummary {
  const shape = shapeOf('osv-scanner');
  const results = shape.array(doc.results, '$.results');
  const tally = createTally();
  results.forEach((value, i) => {
    const resultAt = childPath('$.results', i);
    const result = shape.object(value, resultAt);
    const packages = shape.array(result.packages, childPath(resultAt, 'packages'), { optional: true });
    packages.forEach((p, j) => {
      const at = childPath(childPath(resultAt, 'packages'), j);
      const pkg = shape.object(p, at);
      // Each record's id and the severity its database states.
      const records = new Map<string, Severity | null>();
      const vulns = shape.array(pkg.vulnerabilities, childPath(at, 'vulnerabilities'), { optional: true });
      vulns.forEach((v, k) => {
        const vulnAt = childPath(childPath(at, 'vulnerabilities'), k);
        const vuln = shape.object(v, vulnAt);
        const id = shape.string(vuln.id, childPath(vulnAt, 'id'));
        const specific = isObject(vuln.database_specific) ? vuln.database_specific.severity : undefined;
        const stated =
          typeof specific === 'string' ? (databaseSeverities[specific.toLowerCase()] ?? null) : null;
        records.set(id, stated);
      });
      const grouped = new Set<string>();
      const groups = shape.array(pkg.groups, childPath(at, 'groups'), { optional: true });
      groups.forEach((g, k) => {
        const groupAt = childPath(childPath(at, 'groups'), k);
        const group = shape.object(g, groupAt);
        const ids = shape
          .array(group.ids, childPath(groupAt, 'ids'))
          .map((id, n) => shape.string(id, childPath(childPath(groupAt, 'ids'), n)));
        if (ids.length === 0) shape.fail(childPath(groupAt, 'ids'), 'must name at least one vulnerability');
        const score = shape.optionalString(group.max_severity, childPath(groupAt, 'max_severity'));
        const known = [
          score === null ? null : severityOfCvssScore(score),
          ...ids.map((id) => records.get(id)),
        ];
        for (const id of ids) grouped.add(id);
        tally.add(severityOrHigh(known), ids);
      });
      for (const [id, stated] of records) if (!grouped.has(id)) tally.add(severityOrHigh([stated]), [id]);
    });
  });
  return tally.summary('osv-scanner', 'osv-scanner');
}

/** The highest severity known; high when none is (fail-closed). */
function severityOrHigh(known: readonly (Severity | null | undefined)[]): Severity {
  const stated = known.filter((s): s is Severity => s !== null && s !== undefined);
  return stated.length === 0 ? 'high' : maxSeverity(stated);
}
