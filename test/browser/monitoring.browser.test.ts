import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminTokenOf,
  cleanup,
  fileRootDigest,
  type RunningWarden,
  repoRoot,
  startServer,
  tempDir,
} from '../e2e/helpers.js';
import { hasChromium, launchBrowser, newPerson, screenshot, seriousA11yViolations } from './browser.js';
import { seedMonitoring } from './monitoring-seed.js';

/** Production without approvals (the console's monitoring is under test here, not the deploy flow). */
const serverConfig = {
  environments: { production: { gates: ['scan'], requireVulnReport: false, approvals: 0 } },
};

describe.skipIf(!hasChromium)('monitoring in the console', { timeout: 240_000 }, () => {
  let server: RunningWarden;
  let browser: Browser;
  let viewerToken = '';

  const call = async <T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${adminTokenOf(server.url)}`,
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    });
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };

  const signIn = async (page: Page, token: string) => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('textbox', { name: 'API token' }).fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };

  const check = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page), name).toEqual([]);
  };

  beforeAll(async () => {
    const dir = tempDir('warden-browser-monitoring-');
    const config = path.join(dir, 'warden.json');
    writeFileSync(config, JSON.stringify(serverConfig));
    server = await startServer({ args: ['--config', config] });
    browser = await launchBrowser();

    await call('POST', '/models', { name: 'iris', owner: 'ml' });
    const form = new FormData();
    form.append('metadata', JSON.stringify({ kind: 'file', format: 'onnx' }));
    const iris = path.join(repoRoot, 'examples/iris/model/iris.onnx');
    form.append('file', new Blob([readFileSync(iris)]), 'model.onnx');
    form.append('digest', `sha256:${fileRootDigest(iris)}`);
    const version = await call<{ number: number; digest: string }>('POST', '/models/iris/versions', form);
    const request = await call<{ request: { id: string } }>('POST', '/environments/production/requests', {
      model: 'iris',
      version: version.number,
      reason: 'first release',
    });
    await call('POST', `/deploy-requests/${request.request.id}/apply`);
    viewerToken = (
      await call<{ token: string }>('POST', '/tokens', { name: 'vic-viewer', roles: ['viewer'] })
    ).token;
    await seedMonitoring(server.dataDir, {
      environment: 'production',
      model: 'iris',
      version: version.number,
      digest: version.digest,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await cleanup();
  });

  it('a viewer sees the verdicts, drift over time, histograms, detectors and alerts, and no edit control', async () => {
    const viewer = await newPerson(browser);
    await signIn(viewer.page, viewerToken);
    await viewer.page.getByRole('link', { name: 'Monitoring' }).click();
    await viewer.page.getByRole('heading', { level: 1, name: 'Monitoring' }).waitFor();
    const row = viewer.page.getByRole('row', { name: /iris/ });
    await row.getByText(/Drift detected/).waitFor();
    await row.getByText('1 firing').waitFor();
    await check(viewer.page, 'monitoring-list');

    await viewer.page.getByRole('link', { name: 'iris' }).click();
    await viewer.page.getByRole('heading', { level: 1, name: 'Monitoring: iris in production' }).waitFor();
    // Drift over time: one line per column, the table beside it, the shifted windows marked.
    const heat = viewer.page.getByRole('table', { name: /Drift per column/ });
    await heat.waitFor();
    expect(
      await heat
        .getByRole('row', { name: /petal_length/ })
        .getByText('drift')
        .count(),
    ).toBe(2);
    expect(
      await heat
        .getByRole('row', { name: /sepal_width/ })
        .getByText('drift')
        .count(),
    ).toBe(0);
    expect(
      await viewer.page.getByRole('img', { name: /^petal_length: ks over 5 windows, 2 drifted/ }).count(),
    ).toBe(1);
    // The newest window: columns, histograms (with their tables), detectors against thresholds.
    const columns = viewer.page.getByRole('table', { name: 'Column drift in this window' });
    await columns.getByRole('row', { name: /petal_length.*ks.*Yes/ }).waitFor();
    // The monitor policy set sepal_width's threshold when this window closed: marked as such.
    await columns.getByRole('row', { name: /sepal_width feature ks 1 ≤ 0\.1 set by policy No/ }).waitFor();
    expect(await columns.getByText('set by policy').count()).toBe(1);
    expect(await viewer.page.getByRole('img', { name: /^Histogram of petal_length/ }).count()).toBe(1);
    // The alert engine's stored readings: confidence against the reference's (0.98 − 0.91), which a
    // console recomputing from the summary could not show, and the gateway's latest minute.
    const detectors = viewer.page.getByRole('table', { name: 'Detector readings in this window' });
    await detectors.getByRole('row', { name: /dataset_drift.*above 0\.5.*Yes/ }).waitFor();
    // Five p-value tests in the window (four features and the predicted species): 0.05 / 5.
    await detectors.getByRole('row', { name: /column_drift:petal_length \S+ below 0\.01 Yes/ }).waitFor();
    await detectors.getByRole('row', { name: /confidence_drop 0\.07 above 0\.15 No/ }).waitFor();
    const gateway = viewer.page.getByRole('table', {
      name: 'Gateway detector readings in the latest minute',
    });
    await gateway.getByRole('row', { name: /error_rate 0\.08 above 0\.05 Yes/ }).waitFor();
    await gateway.getByRole('row', { name: /screening_blocks 2 above 10 No/ }).waitFor();
    // The window's drift report downloads as one self-contained HTML file.
    const [download] = await Promise.all([
      viewer.page.waitForEvent('download'),
      viewer.page.getByRole('button', { name: 'Drift report (HTML)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^drift-iris-v1-[0-9a-f-]{36}\.html$/);
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toContain('petal_length');
    // Alert history: the resolved alert and the rollback it caused, and the one still firing.
    const alerts = viewer.page.getByRole('region', { name: 'Alert history' });
    await alerts.getByRole('row', { name: /Resolved.*critical.*dataset_drift.*Rolled back/ }).waitFor();
    await alerts.getByRole('row', { name: /Firing.*warning.*column_drift:petal_length/ }).waitFor();
    // Selecting an older window shows it: no drift there.
    const oldest = heat.getByRole('columnheader').nth(1).getByRole('button');
    await oldest.click();
    expect(await oldest.getAttribute('aria-pressed')).toBe('true');
    await viewer.page
      .getByRole('region', { name: /^Window ending/ })
      .getByText(/^No drift/)
      .waitFor();
    await viewer.page.getByRole('table', { name: 'Detector thresholds in force' }).waitFor();
    await viewer.page.getByText(/No reference data: drift is not computed/).waitFor();
    expect(await viewer.page.getByRole('button', { name: 'Edit thresholds' }).count()).toBe(0);
    expect(await viewer.page.getByRole('button', { name: 'Edit policy (JSON)' }).count()).toBe(0);
    await viewer.page
      .getByRole('table', { name: 'Drift tests and thresholds' })
      .getByRole('row', { name: "Every column Evidently's default Evidently's default" })
      .waitFor();
    expect(await viewer.page.getByRole('button', { name: 'Attach reference' }).count()).toBe(0);
    await check(viewer.page, 'monitoring-deployment-viewer');
    await viewer.page.setViewportSize({ width: 768, height: 1024 });
    await check(viewer.page, 'monitoring-deployment-viewer-768');
    expect(viewer.problems).toEqual([]);
    await viewer.context.close();
  });

  it('an admin edits a threshold (a bad value refused with the server’s problem), attaches reference data and sets a drift test', async () => {
    const admin = await newPerson(browser);
    await signIn(admin.page, adminTokenOf(server.url) ?? '');
    await admin.page.goto(`${server.url}/monitoring/production/iris`);
    await admin.page.getByRole('button', { name: 'Edit thresholds' }).click();
    await admin.page.getByLabel('driftShare').fill('2');
    await admin.page.getByRole('button', { name: 'Save thresholds' }).click();
    await admin.page.getByText('The monitor policy was not changed').waitFor();
    await admin.page.getByLabel('driftShare').fill('0.3');
    await admin.page.getByLabel('Reason (optional)').fill('earlier warning');
    await admin.page.getByRole('button', { name: 'Save thresholds' }).click();
    const thresholds = admin.page.getByRole('table', { name: 'Detector thresholds in force' });
    await thresholds.getByRole('row', { name: 'driftShare 0.3' }).waitFor();
    await admin.page.getByText(/Revision 1, set by/).waitFor();
    const policy = await call<{ policy: { thresholds: { driftShare: number } }; reason: string }>(
      'GET',
      '/environments/production/deployments/iris/monitor-policy',
    );
    expect(policy.policy.thresholds.driftShare).toBe(0.3);
    expect(policy.reason).toBe('earlier warning');
    // Stored readings keep the threshold they were read against; the next evaluation reads with 0.3.
    await admin.page
      .getByRole('table', { name: 'Detector readings in this window' })
      .getByRole('row', { name: /dataset_drift.*above 0\.5/ })
      .waitFor();
    // The admin attaches the demo's reference data to the live version; its columns and roles show.
    await admin.page
      .getByLabel('Reference dataset (CSV, JSON Lines or Parquet)')
      .setInputFiles(path.join(repoRoot, 'examples/iris/data/reference.csv'));
    await admin.page.getByRole('button', { name: 'Attach reference' }).click();
    const roles = admin.page.getByRole('table', { name: 'Reference columns and their roles' });
    await roles.getByRole('row', { name: 'petal_length feature numeric' }).waitFor();
    await roles.getByRole('row', { name: /species target/ }).waitFor();
    // The whole document as JSON: a drift test on a column. A test the column's kind cannot take is refused
    // at its path, nothing saved; then a PSI on petal_length is saved, and a misspelt column warned about.
    await admin.page.getByRole('button', { name: 'Edit policy (JSON)' }).click();
    const editor = admin.page.getByLabel('Policy document (JSON)');
    expect(JSON.parse(await editor.inputValue())).toEqual({ thresholds: { driftShare: 0.3 } });
    await editor.fill(JSON.stringify({ drift: { columns: { species: { test: 'ks' } } } }));
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    const problems = admin.page.getByRole('list', { name: 'Problems in the policy document' });
    await problems.getByText('drift.columns.species.test').waitFor();
    await check(admin.page, 'monitoring-policy-refused');
    const drift = {
      columns: { petal_length: { test: 'psi', threshold: 0.25 }, petal_lenght: { test: 'ks' } },
    };
    await editor.fill(JSON.stringify({ thresholds: { driftShare: 0.3 }, drift }));
    await admin.page.getByLabel('Reason (optional)').fill('PSI for petals');
    await admin.page.getByRole('button', { name: 'Save policy' }).click();
    const saved = admin.page.getByRole('table', { name: 'Drift tests and thresholds' });
    await saved.getByRole('row', { name: 'Column petal_length psi 0.25' }).waitFor();
    await admin.page
      .getByRole('list', { name: 'Warnings about the policy saved' })
      .getByText('drift.columns.petal_lenght')
      .waitFor();
    await admin.page.getByText(/Revision 2, set by/).waitFor();
    const stored = await call<{ document: unknown; revision: number; reason: string }>(
      'GET',
      '/environments/production/deployments/iris/monitor-policy',
    );
    expect(stored).toMatchObject({
      revision: 2,
      reason: 'PSI for petals',
      document: { thresholds: { driftShare: 0.3 }, drift },
    });
    await check(admin.page, 'monitoring-deployment-admin');
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  });
});
