import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenOf, cleanup, type RunningWarden, startServer, tempDir } from '../e2e/helpers.js';
import { hasChromium, launchBrowser, newPerson, screenshot, seriousA11yViolations } from './browser.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest();

/**
 * Production as shipped (two approvals, never the requester's own, no self-apply) with only the scan gate:
 * the console's flow is under test here, not signing or provenance (test/deploy covers every gate).
 */
const serverConfig = { environments: { production: { gates: ['scan'], requireVulnReport: false } } };

describe.skipIf(!hasChromium)('deployments and approvals in the console', { timeout: 240_000 }, () => {
  let server: RunningWarden;
  let browser: Browser;
  const tokens = { deployer: '', alice: '', bob: '', viewer: '' };

  /** A call to the API with a bearer token (the admin's unless another is named). */
  const call = async <T = Record<string, unknown>>(
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<T> => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: `Bearer ${token ?? adminTokenOf(server.url)}`,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
    };
    const res = await fetch(`${server.url}/api/v1${url}`, init);
    const json = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  };

  /** Pushes one single-file version with metrics and lineage, as the admin. */
  const pushVersion = async (generation: number, metrics: Record<string, number>, parent?: string) => {
    const content = Buffer.from(`iris weights, generation ${generation}\n`.repeat(32));
    const form = new FormData();
    const lineage = {
      datasetDigests: [`sha256:${'d'.repeat(64)}`],
      trainingRun: `run-${generation}`,
      ...(parent ? { parent } : {}),
    };
    form.append('metadata', JSON.stringify({ kind: 'file', metrics, lineage }));
    form.append('file', new Blob([content]), 'iris.safetensors');
    form.append(
      'digest',
      `sha256:${sha256(Buffer.from(sha256(content).toString('hex'), 'hex')).toString('hex')}`,
    );
    return call('POST', '/models/iris/versions', form);
  };

  const signIn = async (page: Page, token: string) => {
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('textbox', { name: 'API token' }).fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };

  /** Takes the page's picture and checks it has no serious accessibility violation. */
  const check = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page), name).toEqual([]);
  };

  const liveVersion = async () => {
    const live = await call<{ models: { model: string; stable: { version: number } | null }[] }>(
      'GET',
      '/environments/production/live',
    );
    return live.models.find((m: { model: string }) => m.model === 'iris')?.stable?.version as
      | number
      | undefined;
  };

  beforeAll(async () => {
    const dir = tempDir('warden-browser-deploy-');
    const config = path.join(dir, 'warden.json');
    writeFileSync(config, JSON.stringify(serverConfig));
    server = await startServer({ args: ['--config', config] });
    browser = await launchBrowser();

    await call('POST', '/models', { name: 'iris', owner: 'ml' });
    await pushVersion(1, { accuracy: 0.91 });
    await pushVersion(2, { accuracy: 0.95, f1: 0.9 }, 'iris@1');
    const token = async (name: string, roles: string[]) =>
      (await call<{ token: string }>('POST', '/tokens', { name, roles, teams: ['ml'] })).token;
    tokens.deployer = await token('dana-deployer', ['deployer']);
    tokens.alice = await token('alice-approver', ['approver']);
    tokens.bob = await token('bob-approver', ['approver']);
    tokens.viewer = await token('vic-viewer', ['viewer']);

    // Version 1 goes live through the API, so that the console's release of version 2 has something to
    // roll back to.
    const first = await call<{ request: { id: string } }>(
      'POST',
      '/environments/production/requests',
      { model: 'iris', version: 1 },
      tokens.deployer,
    );
    for (const approver of [tokens.alice, tokens.bob])
      await call(
        'POST',
        `/deploy-requests/${first.request.id}/approve`,
        { reason: 'first release' },
        approver,
      );
    await call('POST', `/deploy-requests/${first.request.id}/apply`, undefined, tokens.deployer);
    expect(await liveVersion()).toBe(1);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await cleanup();
  });

  it('a deployer requests production, two approvers approve, the deployer applies, then rolls back; a viewer may only look', async () => {
    const deployer = await newPerson(browser);
    const alice = await newPerson(browser);
    const bob = await newPerson(browser);
    const viewer = await newPerson(browser, { width: 768, height: 1024 });

    // The deployer finds production and asks for version 2.
    await signIn(deployer.page, tokens.deployer);
    await deployer.page.goto(`${server.url}/deployments`);
    await deployer.page.getByRole('link', { name: 'production' }).click();
    await deployer.page.getByRole('heading', { level: 1, name: 'production' }).waitFor();
    await deployer.page.getByRole('cell', { name: /v1 sha256:/ }).waitFor();
    await check(deployer.page, 'deploy-environment');
    await deployer.page.getByRole('link', { name: 'iris' }).first().click();
    await deployer.page.getByRole('heading', { level: 1, name: 'iris in production' }).waitFor();
    await deployer.page.getByLabel('Version').fill('2');
    await deployer.page.getByLabel('Reason (optional)').fill('quarterly retrain');
    await deployer.page.getByRole('button', { name: 'Check gates' }).click();
    await deployer.page.getByText('every gate passes').waitFor();
    await check(deployer.page, 'deploy-target-request');
    await deployer.page.getByRole('button', { name: 'Request deployment' }).click();
    await deployer.page.getByRole('heading', { level: 1, name: 'iris v2 → production' }).waitFor();
    const requestUrl = deployer.page.url();
    const id = requestUrl.split('/').pop() as string;
    await deployer.page.getByText('0 of 2 counted').waitFor();
    // The requester may not approve (the server's policy says so): no button.
    expect(await deployer.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await check(deployer.page, 'deploy-request-pending');

    // Alice finds it in her inbox, with the difference from what is live, and approves.
    await signIn(alice.page, tokens.alice);
    await alice.page.goto(`${server.url}/approvals`);
    const item = alice.page.getByRole('article', { name: 'iris v2 → production' });
    await item.getByRole('columnheader', { name: 'Live v1' }).waitFor();
    await item.getByRole('row', { name: /accuracy 0\.95 0\.91 \+0\.04/ }).waitFor();
    await check(alice.page, 'deploy-approvals-inbox');
    await item.getByRole('button', { name: 'Approve' }).click();
    const dialog = alice.page.getByRole('dialog');
    await dialog.getByLabel('Reason (required)').fill('metrics reviewed');
    await check(alice.page, 'deploy-approve-dialog');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await alice.page.getByText('Nothing waits for your approval.').waitFor();

    // Approving twice is refused by the server, and the console says why, with the request id.
    await alice.page.goto(requestUrl);
    await alice.page.getByText('1 of 2 counted').waitFor();
    await alice.page.getByRole('button', { name: 'Approve' }).click();
    await alice.page.getByRole('dialog').getByLabel('Reason (required)').fill('once more');
    await alice.page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    const refusal = alice.page.getByRole('dialog').getByRole('alert');
    await refusal.getByText('deploy_already_decided').waitFor();
    await refusal.getByText('Request id').waitFor();
    await check(alice.page, 'deploy-approve-refused');

    // Bob, another approver, approves on the request page.
    await signIn(bob.page, tokens.bob);
    await bob.page.goto(requestUrl);
    await bob.page.getByRole('button', { name: 'Approve' }).click();
    await bob.page.getByRole('dialog').getByLabel('Reason (required)').fill('security review done');
    await bob.page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await bob.page.getByText('2 of 2 counted').waitFor();
    await check(bob.page, 'deploy-request-approved');

    // The viewer watches the target: no action, and the page follows the change feed without a reload.
    await signIn(viewer.page, tokens.viewer);
    await viewer.page.goto(`${server.url}/deployments/production/iris`);
    await viewer.page.getByRole('heading', { level: 1, name: 'iris in production' }).waitFor();
    await viewer.page
      .getByRole('definition')
      .filter({ hasText: /^v1 sha256:/ })
      .waitFor();

    // The deployer applies; version 2 is live, and the viewer's page shows it within moments.
    await deployer.page.reload();
    await deployer.page.getByRole('button', { name: 'Apply' }).click();
    await deployer.page.getByText('applied', { exact: true }).waitFor();
    expect(await liveVersion()).toBe(2);
    const applied = Date.now();
    await viewer.page
      .getByRole('definition')
      .filter({ hasText: /^v2 sha256:/ })
      .waitFor({ timeout: 5000 });
    expect(Date.now() - applied).toBeLessThan(5000);
    await check(deployer.page, 'deploy-request-applied');

    // The deployer rolls back, with a reason and a confirmation.
    await deployer.page.goto(`${server.url}/deployments/production/iris`);
    await deployer.page.getByRole('button', { name: 'Roll back' }).click();
    const rollback = deployer.page.getByRole('dialog');
    await rollback.getByRole('heading', { name: 'Roll iris back in production?' }).waitFor();
    await rollback.getByLabel('Reason (required)').fill('error rate up');
    await rollback.getByRole('button', { name: 'Roll back' }).click();
    await deployer.page
      .getByRole('definition')
      .filter({ hasText: /^v1 sha256:/ })
      .waitFor();
    expect(await liveVersion()).toBe(1);
    await deployer.page.getByRole('cell', { name: 'error rate up' }).waitFor();
    await check(deployer.page, 'deploy-target-rolled-back');

    // The viewer sees no action button anywhere, and a request crafted in its session is refused.
    await viewer.page
      .getByRole('definition')
      .filter({ hasText: /^v1 sha256:/ })
      .waitFor();
    const actions = /^(Approve|Reject|Apply|Cancel request|Promote|Abort|Roll back|Request deployment)$/;
    expect(await viewer.page.getByRole('button', { name: actions }).count()).toBe(0);
    await check(viewer.page, 'deploy-target-viewer-tablet');
    await viewer.page.goto(requestUrl);
    await viewer.page.getByRole('heading', { level: 1, name: 'iris v2 → production' }).waitFor();
    expect(await viewer.page.getByRole('button', { name: actions }).count()).toBe(0);
    await check(viewer.page, 'deploy-request-viewer-tablet');
    const crafted = await viewer.page.evaluate(async (requestId) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const post = (url: string, body: unknown) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-warden-csrf': session.csrfToken },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code: string }).code }));
      return {
        rollback: await post('/api/v1/environments/production/models/iris/rollback', { reason: 'crafted' }),
        approve: await post(`/api/v1/deploy-requests/${requestId}/approve`, { reason: 'crafted' }),
      };
    }, id);
    expect(crafted).toEqual({
      rollback: { status: 403, code: 'forbidden' },
      approve: { status: 403, code: 'forbidden' },
    });
    expect(await liveVersion()).toBe(1);

    await viewer.page.goto(`${server.url}/approvals`);
    await viewer.page.getByText('Nothing waits for your approval.').waitFor();
    await check(viewer.page, 'deploy-approvals-empty-tablet');

    // The audit page shows every step, each by the person who took it, and the viewer's refused attempts.
    const admin = await newPerson(browser);
    await signIn(admin.page, adminTokenOf(server.url) as string);
    await admin.page.goto(`${server.url}/audit`);
    const rows = admin.page.getByRole('row');
    const step = (action: string, who: string, outcome = 'success') =>
      rows.filter({ hasText: action }).filter({ hasText: who }).filter({ hasText: outcome });
    await step('deploy:rollback', 'dana-deployer').first().waitFor();
    for (const [action, who, outcome] of [
      ['deploy:request', 'dana-deployer', 'success'],
      ['deploy:approve', 'alice-approver', 'success'],
      ['deploy:approve', 'bob-approver', 'success'],
      ['deploy:apply', 'dana-deployer', 'success'],
      ['deploy:rollback', 'dana-deployer', 'success'],
      ['deploy:approve', 'vic-viewer', 'denied'],
      ['deploy:rollback', 'vic-viewer', 'denied'],
    ] as const)
      expect(await step(action, who, outcome).count(), `${action} by ${who}: ${outcome}`).toBeGreaterThan(0);
    await check(admin.page, 'deploy-audit');
    expect(admin.problems).toEqual([]);
    await admin.context.close();

    for (const person of [deployer, alice, bob, viewer]) {
      expect(person.problems).toEqual([]);
      await person.context.close();
    }
  });
});
