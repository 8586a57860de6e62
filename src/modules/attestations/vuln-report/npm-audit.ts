import type { Severity } from '../../../platform/severity.js';
import type { VulnSummary } from '../attestation.types.js';
import { childPath, type JsonObject, shapeOf } from './shape.js';
import { createTally } from './tally.js';

const npmSeverities = ['info', 'low', 'moderate', 'high', 'critical'] as const;

/** npm's words on Warden's scale; `info` is counted as low (fail-closed: it is still a known advisory). */
const severityOf: Record<(typeof npmSeverities)[number], Severity> = {
  info: 'low',
  low: 'low',
  moderate: 'medium',
  high: 'high',
  critical: 'critical',
};

// A GitHub advisory id in the advisory's URL (GHSA ids are written with their groups in lower case).
const ghsa = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/i;

/**
 * `npm audit --json` (npm 7 and later, `auditReportVersion: 2`): one finding per vulnerable package in
 * `vulnerabilities` (npm's own count, `metadata.vulnerabilities.total`), at the severity npm gives the
 * package. Its ids are the advisories in `via` (a GHSA id from the advisory URL, else `npm-advisory-<n>`);
 * a `via` entry that is a package name only says the package is vulnerable through that dependency.
 */
export function summarizeNpmAudit(doc: JsonObject): VulnSummary {
  const shape = shapeOf('npm-audit');
  if (doc.auditReportVersion !== 2)
    shape.fail(
      '$.auditReportVersion',
      'must be 2 (npm 7 or later); older reports (npm 6, `advisories`) are not read',
    );
  const vulnerabilities = shape.object(doc.vulnerabilities, '$.vulnerabilities');
  const tally = createTally();
  for (const [name, value] of Object.entries(vulnerabilities)) {
    const at = childPath('$.vulnerabilities', name);
    const entry = shape.object(value, at);
    const severity = shape.oneOf(entry.severity, childPath(at, 'severity'), npmSeverities);
    const via = shape.array(entry.via, childPath(at, 'via'), { optional: true });
    const ids: string[] = [];
    via.forEach((item, i) => {
      const itemAt = childPath(childPath(at, 'via'), i);
      if (typeof item === 'string') return;
      const advisory = shape.object(item, itemAt);
      const url = shape.optionalString(advisory.url, childPath(itemAt, 'url'));
      const fromUrl = url ? ghsa.exec(url)?.[0] : undefined;
      const number = advisory.source ?? advisory.id;
      if (fromUrl) ids.push(`GHSA${fromUrl.slice(4).toLowerCase()}`);
      else if (typeof number === 'number' && Number.isSafeInteger(number)) ids.push(`npm-advisory-${number}`);
    });
    tally.add(severityOf[severity], ids);
  }
  return tally.summary('npm-audit', 'npm audit');
}
