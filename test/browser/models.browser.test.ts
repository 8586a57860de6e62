import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenOf, cleanup, type RunningWarden, startServer } from '../e2e/helpers.js';
import { hasChromium, launchBrowser, newPerson, screenshot, seriousA11yViolations } from './browser.js';
import { hostile, seedModels, viewerToken } from './models-seed.js';

const tablet = { width: 768, height: 1024 };

/** Signs in on the sign-in page with an API token, as a person would. */
async function signIn(page: Page, url: string, token: string, path: string): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.locator('input#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === path);
}

/** Opens a person's browser, signed in, failing on any dialog (an injected script would open one). */
async function signedIn(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  server: RunningWarden,
  path: string,
  viewport?: { width: number; height: number },
  token = adminTokenOf(server.url) ?? '',
) {
  const person = await newPerson(browser, viewport);
  const dialogs: string[] = [];
  person.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(person.page, server.url, token, path);
  return { ...person, dialogs };
}

async function checkPage(page: Page, name: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'detached' });
  expect(await seriousA11yViolations(page), name).toEqual([]);
  await screenshot(page, name);
}

describe.skipIf(!hasChromium)('the Models pages in Chromium', () => {
  let server: RunningWarden;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startServer();
    await seedModels(server.url, adminTokenOf(server.url) ?? '');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await cleanup();
  });

  it('lists, searches (kept in the URL), and shows a model and its versions, with user text as text', async () => {
    const { page, problems, dialogs, context } = await signedIn(browser, server, '/models');
    const rows = page.locator('table tbody tr');
    await page.getByRole('link', { name: 'fraud-detector' }).waitFor();
    expect(await rows.count()).toBe(2);
    const fraud = rows.filter({ has: page.getByRole('link', { name: 'fraud-detector' }) });
    await expect.poll(() => fraud.innerText()).toContain('v3');
    expect(await fraud.innerText()).toMatch(/canary → v3[\s\S]*prod → v3/);
    await checkPage(page, 'models-list');

    await page.getByLabel('Name contains').fill('FRAUD');
    await page.waitForURL((u) => u.searchParams.get('q') === 'FRAUD');
    await expect.poll(() => rows.count()).toBe(1);
    await page.reload();
    expect(await page.getByLabel('Name contains').inputValue()).toBe('FRAUD');
    await page.getByRole('link', { name: 'fraud-detector' }).waitFor();
    expect(await rows.count()).toBe(1);
    await page.getByLabel('Name contains').fill('50%_off');
    await page.getByText('No model matches this search.').waitFor();
    await screenshot(page, 'models-list-search-empty');

    await page.goto(`${server.url}/models`);
    await page.getByRole('button', { name: 'Show models tagged crm' }).click();
    await page.waitForURL((u) => u.searchParams.get('tag') === 'crm');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await page.getByLabel('Tag', { exact: true }).inputValue()).toBe('crm');

    await page.goto(`${server.url}/models?q=fraud`);
    await page.getByRole('link', { name: 'fraud-detector' }).click();
    await page.getByRole('heading', { level: 1, name: 'fraud-detector' }).waitFor();
    await page.getByText(`Scores payments. ${hostile}`).waitFor();
    const versions = page.getByRole('table', { name: 'Versions, newest first' });
    await versions.waitFor();
    expect(await versions.locator('tbody tr').first().innerText()).toMatch(/v4[\s\S]*Deleted/);
    const metrics = page.getByRole('table', { name: 'Metrics by version' });
    await metrics.waitFor();
    expect(await metrics.locator('thead th').allInnerTexts()).toEqual(['Metric', 'v1', 'v2', 'v3']);
    expect(await metrics.locator('tbody th').allInnerTexts()).toEqual(['accuracy', 'f1', 'latency_ms']);
    expect(await metrics.locator('tbody tr').first().locator('td').allInnerTexts()).toEqual([
      '0.91',
      '0.93',
      '0.95',
    ]);
    const lineage = page.getByRole('list', { name: 'Lineage of fraud-detector v3' });
    expect(await lineage.innerText()).toMatch(/Training run: run-43[\s\S]*Derived from: fraud-detector v2/);
    await page.getByRole('button', { name: 'History of prod' }).click();
    const history = page.getByRole('table', { name: 'Moves of prod, newest first' });
    await history.getByText(`first release ${hostile}`).waitFor();
    expect(await history.locator('tbody tr').count()).toBe(2);
    await checkPage(page, 'model-page');

    // The picture's parent node goes to the parent version.
    await page.locator('svg .node.parent').click();
    await page.getByRole('heading', { level: 1, name: 'fraud-detector v2' }).waitFor();
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('shows a version in full, and a deleted one as a tombstone', async () => {
    const { page, problems, dialogs, context } = await signedIn(
      browser,
      server,
      '/models/fraud-detector/versions/3',
    );
    await page.getByRole('heading', { level: 1, name: 'fraud-detector v3' }).waitFor();
    expect(await page.locator('code.digest').innerText()).toMatch(/^sha256:[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Copy root digest' }).waitFor();
    expect(await page.getByRole('table', { name: 'Files of the manifest' }).innerText()).toContain(
      'model.onnx',
    );
    expect(await page.getByRole('table', { name: 'Inputs' }).innerText()).toMatch(
      /float_input\s+float32\s+\[N, 4\]/,
    );
    await page.getByText('Not signed.').waitFor();
    const reports = page.getByRole('table', { name: 'Vulnerability reports' });
    await reports.waitFor();
    expect(await reports.locator('tbody tr').innerText()).toMatch(/npm/);
    await checkPage(page, 'version-page');

    await page.goto(`${server.url}/models/fraud-detector/versions/1`);
    await page.getByText(hostile, { exact: true }).waitFor();
    await page.goto(`${server.url}/models/fraud-detector/versions/4`);
    const tombstone = page.getByRole('note', { name: 'Deleted version' });
    await tombstone.getByText(`Reason: wrong data ${hostile}`).waitFor();
    await checkPage(page, 'version-deleted');
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('works at tablet width (768 px)', async () => {
    const { page, problems, dialogs, context } = await signedIn(browser, server, '/models', tablet);
    for (const [path, name] of [
      ['/models', 'models-list-768'],
      ['/models/fraud-detector', 'model-page-768'],
      ['/models/fraud-detector/versions/3', 'version-page-768'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.locator('table').first().waitFor();
      await checkPage(page, name);
      // Nothing but the tables' own scroll boxes may be wider than the screen.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(tablet.width);
    }
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('moves an alias with a reason from the model page, and the history shows it', async () => {
    const { page, problems, context } = await signedIn(browser, server, '/models/fraud-detector');
    await page.getByRole('button', { name: 'Move canary' }).click();
    await page.getByLabel('Version (number, digest or alias)').fill('2');
    await page.getByLabel('Reason').fill(`roll back ${hostile}`);
    await page.getByRole('button', { name: 'Set alias' }).click();
    await page.getByText('canary now points at v2.').waitFor();
    await page.getByRole('button', { name: 'History of canary' }).click();
    await page
      .getByRole('table', { name: 'Moves of canary, newest first' })
      .getByText(`roll back ${hostile}`)
      .waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a viewer no button for a change it may not make', async () => {
    const token = await viewerToken(server.url, adminTokenOf(server.url) ?? '');
    const { page, problems, context } = await signedIn(
      browser,
      server,
      '/models/fraud-detector',
      undefined,
      token,
    );
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/permissions');
    await page.reload();
    expect((await answered).status()).toBe(200);
    await page.getByRole('button', { name: 'History of prod' }).waitFor();
    await page.getByRole('table', { name: 'Metrics by version' }).waitFor();
    expect(await page.getByRole('button', { name: /Edit description|Move|Set alias/ }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
