import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AttestationRecord,
  describeAttestationEvent,
  detectVulnReportFormat,
  maxSummaryIds,
  parseVulnReport,
  readVulnReportText,
  severityOfCvssScore,
  type VulnReportFormat,
  vulnerabilityEvidence,
  vulnReportFormats,
  vulnReportLimits,
} from '../../src/modules/attestations/index.js';
import { AppError } from '../../src/platform/errors.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/vuln-reports/${name}.json`, import.meta.url), 'utf8'));

/** The AppError `act` throws (the test fails if it throws anything else, or nothing). */
function refusal(act: () => unknown): AppError {
  try {
    act();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

describe('vulnerability report parsers, against each tool’s real output shape', () => {
  it('npm audit --json: one finding per vulnerable package, moderate → medium, ids from the advisories', () => {
    const parsed = parseVulnReport(fixture('npm-audit'));
    expect(parsed.format).toBe('npm-audit');
    expect(parsed.summary).toEqual({
      format: 'npm-audit',
      tool: 'npm audit',
      findings: 6,
      maxSeverity: 'critical',
      counts: { critical: 3, high: 1, medium: 1, low: 1 },
      ids: [
        'GHSA-f2jv-r9rf-7988',
        'GHSA-xvch-5gv4-984h',
        'GHSA-35jh-r3h4-6jhm',
        'GHSA-c2qf-rxjj-qqgw',
        'GHSA-v6h2-p8h4-qcjw',
      ],
    });
  });

  it('pip-audit -f json: every advisory ranks high (pip-audit states no severity), skipped packages count nothing', () => {
    const { summary } = parseVulnReport(fixture('pip-audit'));
    expect(summary).toEqual({
      format: 'pip-audit',
      tool: 'pip-audit',
      findings: 3,
      maxSeverity: 'high',
      counts: { critical: 0, high: 3, medium: 0, low: 0 },
      ids: ['GHSA-h5c8-rqwp-cp95', 'PYSEC-2018-28', 'PYSEC-2023-62'],
    });
  });

  it('osv-scanner --format json: one finding per group, CVSS bands or the database’s word, unknown → high', () => {
    const { summary } = parseVulnReport(fixture('osv-scanner'));
    // requests 9.8 → critical; x/net 7.5 → high; x/net "" with no stated severity → high; jinja2 5.4 →
    // medium; certifi "" with database LOW → low.
    expect(summary).toEqual({
      format: 'osv-scanner',
      tool: 'osv-scanner',
      findings: 5,
      maxSeverity: 'critical',
      counts: { critical: 1, high: 2, medium: 1, low: 1 },
      ids: [
        'GHSA-x84v-xcm2-53pg',
        'GO-2023-2102',
        'GO-2024-2687',
        'GHSA-h5c8-rqwp-cp95',
        'GHSA-xqr8-7jwr-rhp7',
      ],
    });
  });

  it('trivy --format json: one finding per listed vulnerability, UNKNOWN → high, misconfigurations not counted', () => {
    const { summary } = parseVulnReport(fixture('trivy'));
    expect(summary).toEqual({
      format: 'trivy',
      tool: 'trivy 0.58.1',
      findings: 8,
      maxSeverity: 'critical',
      counts: { critical: 1, high: 2, medium: 4, low: 1 },
      ids: [
        'CVE-2023-38545',
        'CVE-2023-42366',
        'CVE-2024-6345',
        'CVE-2024-0727',
        'CVE-2024-22195',
        'CVE-2024-35195',
        'CVE-2023-45853',
      ],
    });
  });

  it.each([
    ['npm-audit', { auditReportVersion: 2, vulnerabilities: {}, metadata: {} }],
    ['pip-audit', { dependencies: [{ name: 'numpy', version: '2.0.0', vulns: [] }], fixes: [] }],
    ['osv-scanner', { results: [] }],
    ['trivy', { SchemaVersion: 2, ArtifactName: '.', ArtifactType: 'filesystem' }],
  ] as const)('a clean %s report: no findings, severity none', (format, report) => {
    const parsed = parseVulnReport(report);
    expect(parsed.format).toBe(format);
    expect(parsed.summary).toMatchObject({
      findings: 0,
      maxSeverity: 'none',
      counts: { critical: 0, high: 0, medium: 0, low: 0 },
      ids: [],
    });
  });

  it('detects each format from its own keys, and reads the same report named explicitly', () => {
    for (const format of vulnReportFormats) {
      const report = fixture(format);
      expect(detectVulnReportFormat(report)).toBe(format);
      expect(parseVulnReport(report, format).summary).toEqual(parseVulnReport(report).summary);
    }
    expect(detectVulnReportFormat({ vulnerabilities: [] })).toBeNull();
  });

  it('stores the report as canonical JSON and digests that, so key order and spacing do not matter', () => {
    const a = parseVulnReport({ SchemaVersion: 2, Results: [], ArtifactName: 'x' });
    const b = parseVulnReport(JSON.parse('{ "ArtifactName":"x",\n "Results": [], "SchemaVersion": 2 }'));
    expect(a.document).toBe('{"ArtifactName":"x","Results":[],"SchemaVersion":2}');
    expect(b.digest).toBe(a.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('vulnerability reports Warden refuses, each with a stable code and where', () => {
  it('an unknown format name, a report of no known shape, and a top-level array', () => {
    const named = refusal(() => parseVulnReport(fixture('trivy'), 'snyk'));
    expect(named).toMatchObject({ code: 'vuln_report_format_unknown', details: { format: 'snyk' } });
    expect((named.details as { accepted: string[] }).accepted).toEqual([...vulnReportFormats]);
    expect(refusal(() => parseVulnReport({ runs: [] }))).toMatchObject({
      code: 'vuln_report_format_unknown',
      details: { format: null },
    });
    expect(refusal(() => parseVulnReport([{ Target: 'x' }])).code).toBe('vuln_report_format_unknown');
  });

  it('a format named that the report plainly is not', () => {
    expect(refusal(() => parseVulnReport(fixture('npm-audit'), 'trivy'))).toMatchObject({
      code: 'vuln_report_format_mismatch',
      details: { format: 'trivy', detected: 'npm-audit' },
    });
  });

  it('a named format whose keys are missing: invalid at the first path the format requires', () => {
    expect(refusal(() => parseVulnReport({}, 'trivy'))).toMatchObject({
      code: 'vuln_report_invalid',
      details: { format: 'trivy', path: '$.SchemaVersion' },
    });
    expect(refusal(() => parseVulnReport({}, 'osv-scanner'))).toMatchObject({
      details: { format: 'osv-scanner', path: '$.results', problem: 'is missing (must be an array)' },
    });
  });

  it.each([
    ['text, not an object', 'npm audit output', null, '$'],
    ['null', null, null, '$'],
    ['an npm 6 report', { auditReportVersion: 1, advisories: {} }, 'npm-audit', '$.auditReportVersion'],
    [
      'an npm severity that is not npm’s',
      { auditReportVersion: 2, vulnerabilities: { lodash: { severity: 'urgent', via: [] } } },
      'npm-audit',
      '$.vulnerabilities.lodash.severity',
    ],
    [
      'an npm advisory that is a number',
      { auditReportVersion: 2, vulnerabilities: { 'is-odd': { severity: 'low', via: [3] } } },
      'npm-audit',
      '$.vulnerabilities["is-odd"].via[0]',
    ],
    [
      'a pip-audit vulnerability without an id',
      { dependencies: [{ name: 'a', version: '1', vulns: [{ id: 7 }] }] },
      'pip-audit',
      '$.dependencies[0].vulns[0].id',
    ],
    [
      'an OSV group with no ids',
      { results: [{ packages: [{ package: {}, groups: [{ ids: [], max_severity: '9.0' }] }] }] },
      'osv-scanner',
      '$.results[0].packages[0].groups[0].ids',
    ],
    [
      'an OSV max_severity that is a number',
      { results: [{ packages: [{ groups: [{ ids: ['X-1'], max_severity: 9 }] }] }] },
      'osv-scanner',
      '$.results[0].packages[0].groups[0].max_severity',
    ],
    [
      'a Trivy severity Trivy never writes',
      { SchemaVersion: 2, Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'high' }] }] },
      'trivy',
      '$.Results[0].Vulnerabilities[0].Severity',
    ],
    [
      'Trivy results that are not a list',
      { SchemaVersion: 2, Results: { Target: 'x' } },
      'trivy',
      '$.Results',
    ],
  ])('%s', (_what, report, format, path) => {
    const error = refusal(() => parseVulnReport(report));
    expect(error).toMatchObject({ code: 'vuln_report_invalid', kind: 'invalid', details: { format, path } });
    expect(error.message).toContain(path);
  });

  it('text that is not JSON (the CLI reads the file first)', () => {
    expect(refusal(() => readVulnReportText('{"auditReportVersion": 2,', 'npm-audit'))).toMatchObject({
      code: 'vuln_report_invalid',
      details: { format: 'npm-audit', path: '$' },
    });
    expect(readVulnReportText('\uFEFF{"results": []}')).toEqual({ results: [] });
  });

  it('a report nested deeper than 64 levels, or larger than 4 MiB as canonical JSON', () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(refusal(() => parseVulnReport({ results: [], deep })).details).toMatchObject({
      path: '$',
      problem: 'must nest at most 64 levels deep',
    });
    // 1e20 is 4 bytes as sent and 21 as canonical JSON: the limit is on what would be stored.
    const padding = Array.from({ length: vulnReportLimits.maxBytes / 20 }, () => 1e20);
    expect(refusal(() => parseVulnReport({ results: [], padding }))).toMatchObject({
      code: 'vuln_report_too_large',
      kind: 'too_large',
      details: { limit: vulnReportLimits.maxBytes },
    });
  });

  it('a string with a lone surrogate, which has no exact JSON form', () => {
    expect(refusal(() => parseVulnReport({ results: [], note: 'a\ud800b' })).details).toMatchObject({
      path: '$.note',
    });
  });

  it('never anything but an AppError, whatever the JSON and the format named', () => {
    const formats = fc.option(fc.constantFrom<VulnReportFormat | 'nope'>(...vulnReportFormats, 'nope'), {
      nil: undefined,
    });
    const shaped = fc.oneof(
      fc.jsonValue(),
      fc.record({
        auditReportVersion: fc.constant(2),
        vulnerabilities: fc.dictionary(fc.string(), fc.jsonValue()),
      }),
      fc.record({ SchemaVersion: fc.constant(2), Results: fc.array(fc.jsonValue()) }),
      fc.record({ results: fc.array(fc.record({ packages: fc.array(fc.jsonValue()) })) }),
      fc.record({ dependencies: fc.array(fc.jsonValue()) }),
    );
    fc.assert(
      fc.property(shaped, formats, (report, format) => {
        try {
          const parsed = parseVulnReport(report, format);
          expect(parsed.summary.ids.length).toBeLessThanOrEqual(maxSummaryIds);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('severities', () => {
  it.each([
    ['0.0', 'none'],
    ['0.1', 'low'],
    ['3.9', 'low'],
    ['4.0', 'medium'],
    ['6.9', 'medium'],
    ['7.0', 'high'],
    ['8.9', 'high'],
    ['9.0', 'critical'],
    ['10.0', 'critical'],
    ['10', 'critical'],
    ['', null],
    ['10.1', null],
    ['-1', null],
    ['n/a', null],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', null],
  ])('CVSS v3 base score %j is %s', (score, severity) => {
    expect(severityOfCvssScore(score)).toBe(severity);
  });

  it('an OSV record no group names is a finding of its own; a group’s severity is the higher of score and word', () => {
    const { summary } = parseVulnReport({
      results: [
        {
          packages: [
            {
              vulnerabilities: [
                { id: 'GHSA-aaaa-bbbb-cccc', database_specific: { severity: 'CRITICAL' } },
                { id: 'OSV-2', database_specific: { severity: 'LOW' } },
                { id: 'OSV-3' },
              ],
              groups: [{ ids: ['GHSA-aaaa-bbbb-cccc'], max_severity: '2.0' }],
            },
          ],
        },
      ],
    });
    expect(summary).toMatchObject({
      findings: 3,
      maxSeverity: 'critical',
      counts: { critical: 1, high: 1, medium: 0, low: 1 },
      ids: ['GHSA-aaaa-bbbb-cccc', 'OSV-3', 'OSV-2'],
    });
  });

  it('npm info counts as low; a CVSS 0.0 OSV finding counts in findings but under no severity', () => {
    const npm = parseVulnReport({
      auditReportVersion: 2,
      vulnerabilities: { a: { severity: 'info', via: [{ source: 12, url: 'https://example.com/x' }] } },
    });
    expect(npm.summary).toMatchObject({ findings: 1, maxSeverity: 'low', ids: ['npm-advisory-12'] });
    const osv = parseVulnReport({
      results: [{ packages: [{ groups: [{ ids: ['OSV-0'], max_severity: '0.0' }] }] }],
    });
    expect(osv.summary).toMatchObject({
      findings: 1,
      maxSeverity: 'none',
      counts: { critical: 0, high: 0, medium: 0, low: 0 },
    });
  });

  it('keeps at most 50 plain ids, most severe first, and leaves out ids that are not plain text', () => {
    const vulns = Array.from({ length: 80 }, (_, i) => ({
      VulnerabilityID: `CVE-2024-${String(i).padStart(4, '0')}`,
      Severity: i === 79 ? 'CRITICAL' : 'LOW',
    }));
    vulns.push({ VulnerabilityID: 'CVE\u001b[31m-red', Severity: 'HIGH' });
    const { summary } = parseVulnReport({ SchemaVersion: 2, Results: [{ Vulnerabilities: vulns }] });
    expect(summary.findings).toBe(81);
    expect(summary.ids).toHaveLength(maxSummaryIds);
    expect(summary.ids[0]).toBe('CVE-2024-0079');
    expect(summary.ids[1]).toBe('CVE-2024-0000');
    expect(summary.ids.some((id) => id.includes('red'))).toBe(false);
  });
});

describe('vulnerabilityEvidence: what the deployment gate reads', () => {
  const record = (
    maxSeverity: AttestationRecord['summary']['maxSeverity'],
    findings: number,
  ): AttestationRecord => ({
    id: `a-${maxSeverity}-${findings}`,
    versionId: 'v1',
    type: 'vuln-report',
    format: 'trivy',
    digest: '0'.repeat(64),
    summary: {
      format: 'trivy',
      tool: 'trivy',
      findings,
      maxSeverity,
      counts: { critical: 0, high: 0, medium: 0, low: 0 },
      ids: [],
    },
    createdBy: 'token:a',
    createdByName: 'ci',
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  it('counts the reports, adds up their findings and takes the highest severity', () => {
    expect(vulnerabilityEvidence([])).toEqual({ reports: 0, maxSeverity: 'none', findings: 0 });
    expect(vulnerabilityEvidence([record('medium', 4), record('none', 0), record('high', 1)])).toEqual({
      reports: 3,
      maxSeverity: 'high',
      findings: 5,
    });
  });

  it('reads in the audit log as attestation:create on the version, in the model owner’s team', () => {
    expect(
      describeAttestationEvent({
        type: 'attestation.created',
        model: { name: 'iris', owner: 'vision' },
        version: 3,
        versionDigest: 'ab'.repeat(32),
        attestation: {
          id: 'att-1',
          type: 'vuln-report',
          format: 'trivy',
          tool: 'trivy 0.58.1',
          digest: 'cd'.repeat(32),
          findings: 8,
          maxSeverity: 'critical',
        },
      }),
    ).toEqual({
      action: 'attestation:create',
      resource: 'version:iris@3',
      team: 'vision',
      details: {
        attestation: 'att-1',
        type: 'vuln-report',
        format: 'trivy',
        tool: 'trivy 0.58.1',
        digest: `sha256:${'cd'.repeat(32)}`,
        findings: 8,
        maxSeverity: 'critical',
        versionDigest: `sha256:${'ab'.repeat(32)}`,
      },
    });
  });
});
