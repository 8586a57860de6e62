import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenOf, cleanup, type RunningWarden, startServer } from '../e2e/helpers.js';
import { hasChromium, launchBrowser, newPerson, screenshot, seriousA11yViolations } from './browser.js';

/** The admin's steps, one after the other, on one signed-in page: tokens, signers, webhooks, audit, serving. */
describe.skipIf(!hasChromium)('serving, audit and admin in the console', { timeout: 240_000 }, () => {
  let server: RunningWarden;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let secret = '';

  /** Takes the page's picture (1280 px, then 768 px) and checks both have no serious accessibility violation. */
  const check = async (name: string) => {
    await screenshot(page, name);
    expect(await seriousA11yViolations(page), name).toEqual([]);
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, `${name}-768`);
    expect(await seriousA11yViolations(page), `${name} at 768 px`).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  beforeAll(async () => {
    // The webhook below targets a loopback receiver that is never there: its deliveries fail, and show.
    server = await startServer({ env: { WARDEN_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' } });
    browser = await launchBrowser();
    ({ context, page, problems } = await newPerson(browser));
    await page.goto(`${server.url}/sign-in?returnTo=/admin`);
    await page.getByRole('textbox', { name: 'API token' }).fill(adminTokenOf(server.url) ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tokens', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await cleanup();
  });

  it('creates a token whose secret is shown once, then gone after closing and after a reload', async () => {
    await check('admin-tokens');
    await page.getByLabel('Service account name').fill('ci-bot');
    await page.getByRole('checkbox', { name: 'deployer' }).check();
    await page.getByLabel('Expires in or on').fill('30d');
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Token for ci-bot' });
    await dialog.waitFor();
    secret = (await dialog.getByTestId('secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^wdn_/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'admin-token-secret');
    await dialog.getByRole('button', { name: /close/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: /^ci-bot/ }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await page.getByRole('cell', { name: /^ci-bot/ }).waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('revokes the token after a confirmation', async () => {
    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke ci-bot?' });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('row', { name: /ci-bot.*Revoked/ }).waitFor();
    // The revoked token no longer opens anything.
    const res = await fetch(`${server.url}/api/v1/whoami`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.status).toBe(401);
  });

  it('adds a trusted signer for production', async () => {
    await page.getByRole('link', { name: 'Trusted signers' }).click();
    await page.getByRole('heading', { name: 'Trusted signers', level: 1 }).waitFor();
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await page.getByLabel('Name', { exact: true }).fill('release-ci');
    await page
      .getByLabel('Public key (PEM)')
      .fill(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await page.getByRole('checkbox', { name: 'production' }).check();
    await page.getByRole('button', { name: 'Add signer' }).click();
    await page.getByRole('row', { name: /release-ci.*production.*Trusted/ }).waitFor();
    await check('admin-signers');
  });

  it('creates a webhook whose signing secret is shown once', async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByLabel('URL').fill('http://127.0.0.1:9/warden-hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: /Signing secret for/ });
    const whsec = (await dialog.getByTestId('secret-value').textContent()) ?? '';
    expect(whsec).toMatch(/^whsec_/);
    await dialog.getByRole('button', { name: /close/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'http://127.0.0.1:9/warden-hook', exact: true }).waitFor();
    expect(await page.content()).not.toContain(whsec);
    await check('admin-webhooks');
  });

  it('shows the environments read-only', async () => {
    await page.getByRole('link', { name: 'Environments' }).click();
    await page.getByRole('heading', { name: 'production', level: 2 }).waitFor();
    await check('admin-environments');
  });

  it('finds the steps just taken in the audit log, filtered by action, with the chain verified', async () => {
    await page.goto(`${server.url}/audit?action=identity%3Atoken%3Acreate`);
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.getByRole('cell', { name: 'identity:token:create' }).first().waitFor();
    expect(await page.getByLabel('Action').inputValue()).toBe('identity:token:create');
    // The form writes the filters into the URL.
    await page.getByLabel('Action').fill('identity:token:revoke');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=identity%3Atoken%3Arevoke/);
    await page.getByRole('cell', { name: 'identity:token:revoke' }).waitFor();
    for (const action of ['signing:signer:create', 'webhook:create']) {
      await page.getByLabel('Action').fill(action);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByRole('cell', { name: action }).first().waitFor();
    }
    const details = page.getByRole('button', { name: /^Details of entry/ }).first();
    await details.click();
    expect(await details.getAttribute('aria-expanded')).toBe('true');
    await page.getByText('Previous hash').waitFor();
    await page.getByText('Verified', { exact: true }).waitFor();
    await page.getByText('Last signed checkpoint').waitFor();
    await check('audit');
  });

  it('exports the log as JSON Lines through a download', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export (JSON Lines)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('warden-audit.jsonl');
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ type: 'entry', seq: 1 });
    expect(JSON.parse(lines[lines.length - 1] ?? '')).toMatchObject({ type: 'checkpoint' });
  });

  it('renders what the gateway serves for its environment', async () => {
    await page.getByRole('link', { name: 'Serving' }).click();
    await page.getByRole('heading', { name: /^Serving: / }).waitFor();
    await page.getByText(/Live-state revision/).waitFor();
    await check('serving');
    expect(problems).toEqual([]);
  });
});
