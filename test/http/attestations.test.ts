import { readFileSync } from 'node:fs';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFactories } from '../fixtures/databases.js';
import { createModel, expectProblem, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const api = '/api/v1';
const report = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/vuln-reports/${name}.json`, import.meta.url), 'utf8'));
const trivy = report('trivy');

describe.each(databaseFactories().map((f) => [f.name, f] as const))(
  'vulnerability reports attached to versions (%s)',
  (_name, factory) => {
    let t: TestApp;
    let contributor: string;
    let contributorId: string;
    let viewer: string;
    let visionContributor: string;
    let nlpContributor: string;
    let digest: string;

    beforeAll(async () => {
      t = await createTestApp({ factory });
      await createModel(t, 'iris', { owner: 'nlp' });
      const v1 = await push(t, 'iris', { kind: 'file', aliases: ['prod'] }, [
        { path: 'm.bin', content: 'v1' },
      ]);
      digest = v1.digest;
      await push(t, 'iris', { kind: 'file' }, [{ path: 'm.bin', content: 'v2' }]);
      await push(t, 'iris', { kind: 'file' }, [{ path: 'm.bin', content: 'v3, deleted' }]);
      const deleted = await t.app.inject({
        method: 'DELETE',
        url: `${api}/models/iris/versions/3?reason=bad`,
      });
      expect(deleted.statusCode, deleted.body).toBe(200);
      contributor = await t.tokenFor({ name: 'ci', roles: ['contributor'] });
      contributorId = `token:${contributor.split('_')[1]}`;
      viewer = await t.tokenFor({ name: 'reader', roles: ['viewer'] });
      visionContributor = await t.tokenFor({ name: 'vision-ci', roles: ['contributor'], teams: ['vision'] });
      nlpContributor = await t.tokenFor({ name: 'nlp-ci', roles: ['contributor'], teams: ['nlp'] });
    });
    afterAll(async () => t?.close());

    const as = (token: string | null, request: InjectOptions) =>
      t.rawApp.inject({
        ...request,
        headers: { ...(request.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    const attach = (ref: string, body: unknown, token: string | null = contributor) =>
      as(token, {
        method: 'POST',
        url: `${api}/models/iris/versions/${encodeURIComponent(ref)}/attestations`,
        payload: body as Record<string, unknown>,
      });
    const list = (ref: string, token: string | null = viewer) =>
      as(token, {
        method: 'GET',
        url: `${api}/models/iris/versions/${encodeURIComponent(ref)}/attestations`,
      });
    const auditOf = async (action: string) => {
      const res = await t.app.inject({ method: 'GET', url: `${api}/audit?action=${action}&limit=100` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().items as {
        action: string;
        outcome: string;
        principal: string;
        resource: string;
        team?: string;
        details: Record<string, unknown>;
      }[];
    };

    it('a contributor attaches a Trivy report; a viewer lists it and reads the report back', async () => {
      const res = await attach('1', { type: 'vuln-report', report: trivy });
      expect(res.statusCode, res.body).toBe(201);
      const view = res.json();
      expect(view).toMatchObject({
        id: expect.any(String),
        model: 'iris',
        version: 1,
        versionDigest: digest,
        type: 'vuln-report',
        format: 'trivy',
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        summary: {
          format: 'trivy',
          tool: 'trivy 0.58.1',
          findings: 8,
          maxSeverity: 'critical',
          counts: { critical: 1, high: 2, medium: 4, low: 1 },
        },
        createdBy: contributorId,
        createdByName: 'ci',
      });
      const listed = await list('1');
      expect(listed.statusCode, listed.body).toBe(200);
      expect(listed.json()).toEqual([view]);
      const one = await as(viewer, {
        method: 'GET',
        url: `${api}/models/iris/versions/1/attestations/${view.id}`,
      });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toEqual({ ...view, report: trivy });
    });

    it('records the attachment in the audit log, with the change', async () => {
      const entries = (await auditOf('attestation:create')).filter((e) => e.outcome === 'success');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        principal: contributorId,
        resource: 'version:iris@1',
        team: 'nlp',
        details: {
          type: 'vuln-report',
          format: 'trivy',
          tool: 'trivy 0.58.1',
          findings: 8,
          maxSeverity: 'critical',
        },
      });
    });

    it('takes the version by alias and by digest; the format named must be the report’s', async () => {
      const byAlias = await attach('prod', {
        type: 'vuln-report',
        format: 'npm-audit',
        report: report('npm-audit'),
      });
      expect(byAlias.statusCode, byAlias.body).toBe(201);
      expect(byAlias.json()).toMatchObject({ version: 1, format: 'npm-audit', summary: { findings: 6 } });
      const byDigest = await attach(digest.slice(0, 19), {
        type: 'vuln-report',
        report: report('osv-scanner'),
      });
      expect(byDigest.statusCode, byDigest.body).toBe(201);
      expect(byDigest.json()).toMatchObject({ version: 1, format: 'osv-scanner' });
      const listed = (await list('1')).json() as { format: string }[];
      expect(listed.map((a) => a.format)).toEqual(['trivy', 'npm-audit', 'osv-scanner']);
      expect((await list('2')).json()).toEqual([]);
    });

    it('refuses the same report twice on one version (409), and stores nothing for any refusal', async () => {
      const again = await attach('1', { type: 'vuln-report', report: { ...trivy } });
      const body = expectProblem(again, 409, 'attestation_exists', t);
      expect(body.details).toMatchObject({ model: 'iris', version: 1 });
      expect((await list('1')).json()).toHaveLength(3);
    });

    it('refuses a viewer (403), another team (403) and an anonymous caller (401); the owning team may', async () => {
      const body = { type: 'vuln-report', report: report('pip-audit') };
      expectProblem(await attach('2', body, viewer), 403, 'forbidden', t);
      expectProblem(await attach('2', body, visionContributor), 403, 'forbidden', t);
      expectProblem(await list('1', visionContributor), 403, 'forbidden', t);
      expectProblem(await attach('2', body, null), 401, 'unauthenticated', t);
      expectProblem(await list('1', null), 401, 'unauthenticated', t);
      expect((await list('2')).json()).toEqual([]);
      const denials = (await auditOf('attestation:create')).filter((e) => e.outcome === 'denied');
      expect(denials.map((e) => e.resource)).toEqual(['version:iris@2', 'version:iris@2']);
      const ok = await attach('2', body, nlpContributor);
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().summary).toMatchObject({ format: 'pip-audit', maxSeverity: 'high', findings: 3 });
    });

    it.each([
      ['a body that is not JSON', '{"type": "vuln-report", "report": {', 400, 'malformed_json'],
      ['a type Warden does not take', { type: 'sbom', report: trivy }, 400, 'attestation_type_unsupported'],
      ['no report', { type: 'vuln-report' }, 400, 'invalid_request'],
      [
        'an unknown format',
        { type: 'vuln-report', format: 'snyk', report: trivy },
        400,
        'vuln_report_format_unknown',
      ],
      [
        'a report of no known shape',
        { type: 'vuln-report', report: { runs: [] } },
        400,
        'vuln_report_format_unknown',
      ],
      [
        'a format that is not the report’s',
        { type: 'vuln-report', format: 'pip-audit', report: trivy },
        400,
        'vuln_report_format_mismatch',
      ],
      [
        'the report as text',
        { type: 'vuln-report', report: JSON.stringify(trivy) },
        400,
        'vuln_report_invalid',
      ],
    ])('refuses %s', async (_what, payload, status, code) => {
      const res = await as(contributor, {
        method: 'POST',
        url: `${api}/models/iris/versions/2/attestations`,
        headers: { 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expectProblem(res, status, code, t);
    });

    it('names the format and the JSON path of a report of the wrong shape', async () => {
      const broken = structuredClone(trivy) as { Results: { Vulnerabilities?: { Severity: unknown }[] }[] };
      const first = broken.Results[0]?.Vulnerabilities?.[0];
      if (first) first.Severity = 9;
      const res = await attach('2', { type: 'vuln-report', report: broken });
      const body = expectProblem(res, 400, 'vuln_report_invalid', t);
      expect(body.details).toEqual({
        format: 'trivy',
        path: '$.Results[0].Vulnerabilities[0].Severity',
        problem: 'must be a string, not a number',
      });
    });

    it('refuses a report over the 4 MiB limit with 413, and a version that does not exist or was deleted', async () => {
      const huge = { SchemaVersion: 2, Results: [], padding: 'x'.repeat(4 * 1024 * 1024 + 70 * 1024) };
      const tooLarge = await attach('2', { type: 'vuln-report', report: huge });
      const body = expectProblem(tooLarge, 413, 'body_too_large', t);
      expect(body.details.limit).toBeGreaterThan(4 * 1024 * 1024);
      const fits = await attach('2', {
        type: 'vuln-report',
        report: { ...trivy, padding: 'x'.repeat(3 * 1024 * 1024) },
      });
      expect(fits.statusCode, fits.body).toBe(201);
      expectProblem(
        await attach('staging', { type: 'vuln-report', report: trivy }),
        404,
        'version_not_found',
        t,
      );
      expectProblem(await attach('9', { type: 'vuln-report', report: trivy }), 404, 'version_not_found', t);
      expectProblem(
        await as(contributor, {
          method: 'POST',
          url: `${api}/models/nope/versions/1/attestations`,
          payload: { type: 'vuln-report', report: trivy },
        }),
        404,
        'model_not_found',
        t,
      );
      expectProblem(await attach('3', { type: 'vuln-report', report: trivy }), 410, 'version_deleted', t);
      // A deleted version's attestations stay readable (none here), an unknown attestation is 404.
      expect((await list('3')).json()).toEqual([]);
      expectProblem(
        await as(viewer, { method: 'GET', url: `${api}/models/iris/versions/1/attestations/nope` }),
        404,
        'attestation_not_found',
        t,
      );
    });

    it('has no route that changes or removes an attestation', async () => {
      const [first] = (await list('1')).json() as { id: string }[];
      for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
        const res = await as(contributor, {
          method,
          url: `${api}/models/iris/versions/1/attestations/${first?.id}`,
          payload: {},
        });
        expect(res.statusCode).toBe(404);
      }
      expect((await list('1')).json()).toHaveLength(3);
    });
  },
);
