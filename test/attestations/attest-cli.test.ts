import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { createModel, push } from '../fixtures/http-helpers.js';
import { memoryCtx } from '../fixtures/memory-cli.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const fixtures = path.resolve(new URL('../fixtures/vuln-reports', import.meta.url).pathname);

// `warden attest` against a real server on loopback, as a CI job runs it after its scanner.
describe('warden attest', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let ci: string;
  let viewer: string;

  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris');
    await push(t, 'iris', { kind: 'file', aliases: ['champion'] }, [{ path: 'm.bin', content: 'v1' }]);
    ci = await t.tokenFor({ name: 'ci', roles: ['contributor'] });
    viewer = await t.tokenFor({ name: 'reader', roles: ['viewer'] });
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    dir = mkdtempSync(path.join(tmpdir(), 'warden-attest-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function warden(args: string[], token = ci) {
    const { ctx, out, err } = memoryCtx(dir, { WARDEN_URL: url, WARDEN_TOKEN: token });
    const code = await runCli(args, ctx);
    return { code, out: out(), err: err() };
  }

  it('attaches a report to NAME@REF (the default subcommand), then lists and shows it', async () => {
    const attached = await warden([
      'attest',
      'iris@champion',
      '--type',
      'vuln-report',
      '--file',
      path.join(fixtures, 'trivy.json'),
    ]);
    expect(attached, attached.err).toMatchObject({ code: 0 });
    expect(attached.out).toMatch(
      /^Attached vuln-report \S+ \(trivy 0\.58\.1\) to iris@1: 8 findings, max severity critical \(critical 1, high 2, medium 4, low 1\)\n$/,
    );

    const json = await warden([
      'attest',
      'add',
      'iris@1',
      '--type',
      'vuln-report',
      '--format',
      'pip-audit',
      '--file',
      path.join(fixtures, 'pip-audit.json'),
      '--json',
    ]);
    expect(json.code, json.err).toBe(0);
    const view = JSON.parse(json.out);
    expect(view).toMatchObject({
      model: 'iris',
      version: 1,
      format: 'pip-audit',
      summary: { maxSeverity: 'high' },
    });

    const listed = await warden(['attest', 'list', 'iris@1'], viewer);
    expect(listed.code, listed.err).toBe(0);
    const lines = listed.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TYPE\s+TOOL\s+FINDINGS\s+MAX\s+CRIT\s+HIGH\s+MED\s+LOW\s+ATTACHED$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /vuln-report\s+trivy 0\.58\.1\s+8\s+critical\s+1\s+2\s+4\s+1\s+\S+ by ci \(token:/,
    );
    expect(lines[2]).toMatch(/pip-audit\s+3\s+high\s+0\s+3\s+0\s+0/);

    const shown = await warden(['attest', 'show', 'iris@1', view.id, '--json'], viewer);
    expect(shown.code, shown.err).toBe(0);
    expect(JSON.parse(shown.out).report.dependencies).toHaveLength(5);
    const fields = await warden(['attest', 'show', 'iris@1', view.id], viewer);
    expect(fields.out).toMatch(/^ids: +GHSA-h5c8-rqwp-cp95 PYSEC-2018-28 PYSEC-2023-62$/m);
  });

  it('exits with the error kind’s code and names the problem, sending nothing it cannot stand behind', async () => {
    writeFileSync(path.join(dir, 'not.json'), '{"auditReportVersion": 2, "vulnerabilities": {');
    const notJson = await warden(['attest', 'iris@1', '--type', 'vuln-report', '--file', 'not.json']);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toContain('code: vuln_report_invalid');

    const missing = await warden(['attest', 'iris@1', '--type', 'vuln-report', '--file', 'nope.json']);
    expect(missing.code).toBe(3);
    expect(missing.err).toContain('code: vuln_report_file_not_found');

    const mismatch = await warden([
      'attest',
      'iris@1',
      '--type',
      'vuln-report',
      '--format',
      'trivy',
      '--file',
      path.join(fixtures, 'npm-audit.json'),
    ]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toContain('code: vuln_report_format_mismatch');

    const type = await warden([
      'attest',
      'iris@1',
      '--type',
      'sbom',
      '--file',
      path.join(fixtures, 'trivy.json'),
    ]);
    expect(type.code).toBe(2);
    expect(type.err).toContain('code: attestation_type_unsupported');

    const noRef = await warden(['attest', 'list', 'iris']);
    expect(noRef.code).toBe(2);

    const denied = await warden(
      ['attest', 'iris@1', '--type', 'vuln-report', '--file', path.join(fixtures, 'osv-scanner.json')],
      viewer,
    );
    expect(denied.code).toBe(6);

    const twice = await warden([
      'attest',
      'iris@1',
      '--type',
      'vuln-report',
      '--file',
      path.join(fixtures, 'trivy.json'),
    ]);
    expect(twice.code).toBe(4);
    expect(twice.err).toContain('code: attestation_exists');

    const listed = await warden(['attest', 'list', 'iris@1', '--json'], viewer);
    expect(JSON.parse(listed.out)).toHaveLength(2);
  });
});
