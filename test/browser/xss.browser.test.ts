import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenOf, cleanup, type RunningWarden, startServer, tempDir } from '../e2e/helpers.js';
import { hasChromium, launchBrowser, newPerson, screenshot } from './browser.js';
import { apiCaller, type Call, hostile, pushVersion, tagged } from './hostile-seed.js';

/** Production with the scan gate only, as in deploy.browser.test.ts: the flow is not under test here. */
const serverConfig = { environments: { production: { gates: ['scan'], requireVulnReport: false } } };

/** Every hostile value, in the field it was written to, and the pages that must show it as text. */
const seeded = {
  requestReason: tagged('request', hostile.img),
  approval1: tagged('approval', hostile.svg),
  approval2: tagged('second approval', hostile.script),
  pendingReason: tagged('pending', hostile.js),
  rejection: tagged('rejection', hostile.rtl),
  guardReason: tagged('guard', hostile.img),
  aliasReason: tagged('alias', hostile.script),
  tombstone: tagged('tombstone', hostile.svg),
  webhook: tagged('webhook', hostile.script),
  description: `${tagged('description', hostile.img)}\n${hostile.script}\n${hostile.rtl}`,
  metadataKey: tagged('metadata key', hostile.svg),
  metadataValue: tagged('metadata', hostile.img),
  link: hostile.js,
  metricKey: tagged('metric', hostile.svg),
  paramKey: tagged('param', hostile.script),
  paramValue: tagged('param value', hostile.img),
  trainingRun: tagged('run', hostile.svg),
};

/**
 * Cross-site scripting: hostile markup written through the API into every free-text field the console
 * shows, then every page that shows one visited as the admin. Each must show the value as text, run none
 * of it, create no element from it, and make no `javascript:` link of it.
 */
describe.skipIf(!hasChromium)('user-supplied text in the console', { timeout: 240_000 }, () => {
  let server: RunningWarden;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const dialogs: string[] = [];
  const ids = { applied: '', pending: '', rejected: '' };

  const seed = async (call: Call) => {
    await call('POST', '/models', { name: 'iris', owner: 'ml', description: seeded.description });
    const metadata = (accuracy: number) => ({
      metrics: { accuracy, [seeded.metricKey]: accuracy / 2 },
      params: { [seeded.paramKey]: seeded.paramValue },
      metadata: { [seeded.metadataKey]: seeded.metadataValue, homepage: seeded.link },
      lineage: { trainingRun: seeded.trainingRun, datasetDigests: [`sha256:${'d'.repeat(64)}`] },
    });
    for (const [generation, accuracy] of [0.9, 0.95, 0.5].entries())
      await pushVersion(call, 'iris', generation + 1, metadata(accuracy));
    await call('DELETE', `/models/iris/versions/3?reason=${encodeURIComponent(seeded.tombstone)}`);
    await call('PUT', '/models/iris/aliases/champion', { version: 1, reason: seeded.aliasReason });

    const token = async (name: string, roles: string[]) =>
      (await call<{ token: string }>('POST', '/tokens', { name, roles, teams: ['ml'] })).token;
    const deployer = await token('dana-deployer', ['deployer']);
    const alice = await token('alice-approver', ['approver']);
    const bob = await token('bob-approver', ['approver']);
    const request = async (version: number, reason: string) =>
      (
        await call<{ request: { id: string } }>(
          'POST',
          '/environments/production/requests',
          { model: 'iris', version, reason },
          deployer,
        )
      ).request.id;

    ids.applied = await request(1, seeded.requestReason);
    await call('POST', `/deploy-requests/${ids.applied}/approve`, { reason: seeded.approval1 }, alice);
    await call('POST', `/deploy-requests/${ids.applied}/approve`, { reason: seeded.approval2 }, bob);
    await call('POST', `/deploy-requests/${ids.applied}/apply`, undefined, deployer);
    ids.rejected = await request(2, 'to be rejected');
    await call('POST', `/deploy-requests/${ids.rejected}/reject`, { reason: seeded.rejection }, bob);
    ids.pending = await request(2, seeded.pendingReason);

    await call('PUT', '/environments/production/models/iris/guards', {
      policy: { rateLimit: { perPrincipal: { ratePerSecond: 50, burst: 100 } } },
      reason: seeded.guardReason,
    });
    await call('POST', '/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      events: ['*'],
      description: seeded.webhook,
    });
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await call('POST', '/signers', {
      name: 'release-ci',
      publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
  };

  beforeAll(async () => {
    const dir = tempDir('warden-browser-xss-');
    const config = path.join(dir, 'warden.json');
    writeFileSync(config, JSON.stringify(serverConfig));
    server = await startServer({
      args: ['--config', config],
      env: { WARDEN_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' },
    });
    await seed(apiCaller(server.url, adminTokenOf(server.url) ?? ''));
    browser = await launchBrowser();
    ({ context, page, problems } = await newPerson(browser));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('textbox', { name: 'API token' }).fill(adminTokenOf(server.url) ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await cleanup();
  });

  /** Waits until the page shows `text` (as text, in what a person sees), then checks the page is clean. */
  const expectShown = async (text: string) => {
    await page
      .waitForFunction((t) => document.body.innerText.includes(t), text, { timeout: 10_000 })
      .catch(() => {
        throw new Error(`not shown as text on ${page.url()}: ${JSON.stringify(text)}`);
      });
  };

  /** Nothing ran, nothing was made of the values: no handler attribute, no script, no javascript: link. */
  const expectClean = async (name: string) => {
    const found = await page.evaluate(() => {
      const bad: string[] = [];
      for (const el of document.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) {
          const value = el.getAttribute(attr) ?? '';
          if (attr.startsWith('on')) bad.push(`${el.tagName} ${attr}`);
          if (/^(href|src|action|formaction|xlink:href)$/.test(attr) && /^\s*javascript:/i.test(value))
            bad.push(`${el.tagName} ${attr}=${value}`);
        }
      }
      for (const s of document.querySelectorAll('script')) if (!s.src) bad.push('inline script');
      for (const el of document.querySelectorAll('img[src="x"], svg[onload], iframe, object, embed'))
        bad.push(el.outerHTML.slice(0, 80));
      // A right-to-left override in user text must not reorder the console's own text around it: each
      // text holding one is isolated (<bdi>, or alone in its block).
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent?.includes('\u202E')) continue;
        const parent = n.parentElement as HTMLElement;
        const style = getComputedStyle(parent);
        // Alone in its block, with nothing of the console's after it (an override reaches the paragraph's end).
        const isolated =
          /isolate|plaintext/.test(style.unicodeBidi) ||
          (parent.childNodes.length === 1 &&
            !/^inline/.test(style.display) &&
            /\u202E[\w.]*$/.test(n.textContent));
        if (!isolated) bad.push(`bidi leak in ${parent.tagName}: ${parent.textContent?.slice(0, 40)}`);
      }
      return { bad, pwned: (window as { __pwned?: unknown }).__pwned };
    });
    expect(found, name).toEqual({ bad: [], pwned: undefined });
    expect(dialogs, name).toEqual([]);
    expect(problems, name).toEqual([]);
    // Nothing overflows sideways at this width but what scrolls inside its own box (a table's wrapper).
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
      `${name} overflows`,
    ).toBe(true);
  };

  /** Opens `url`, waits for each of `shown`, and checks the page at 1280 px and at tablet width. */
  const visit = async (url: string, shown: string[], name: string) => {
    await page.goto(`${server.url}${url}`);
    for (const text of shown) await expectShown(text);
    await expectClean(name);
    await screenshot(page, `xss-${name}`);
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectClean(`${name} at 768 px`);
    await screenshot(page, `xss-${name}-768`);
    await page.setViewportSize({ width: 1280, height: 800 });
  };

  it('shows deploy request, approval and rejection reasons as text', async () => {
    const reasons = [seeded.requestReason, 'to be rejected', seeded.pendingReason];
    await visit('/deployments/production', reasons, 'environment');
    await visit('/deployments/production/iris', reasons, 'target');
    await visit(
      `/deploy-requests/${ids.applied}`,
      [seeded.requestReason, seeded.approval1, seeded.approval2],
      'request-applied',
    );
    await visit(`/deploy-requests/${ids.rejected}`, [seeded.rejection], 'request-rejected');
  });

  it('shows the model list, the model and its versions as text', async () => {
    const firstLine = seeded.description.split('\n')[0] as string;
    await visit('/models', ['iris'], 'models');
    await visit('/models/iris', [firstLine, hostile.script, hostile.rtl, seeded.metricKey], 'model');
    // The alias's history, with the reason it was moved for.
    await page
      .getByRole('button', { name: /history/i })
      .first()
      .click();
    await expectShown(seeded.aliasReason);
    await expectClean('model, alias history');
    await visit(
      '/models/iris/versions/1',
      [
        seeded.metadataKey,
        seeded.metadataValue,
        seeded.link,
        seeded.metricKey,
        seeded.paramKey,
        seeded.trainingRun,
      ],
      'version',
    );
    await visit('/models/iris/versions/3', [seeded.tombstone], 'version-tombstone');
  });

  it('shows the approver inbox, with the versions compared, as text', async () => {
    await visit('/approvals', [seeded.pendingReason, seeded.metricKey], 'approvals');
  });

  it('shows the guard policy reason on the serving page as text', async () => {
    await visit('/serving', [seeded.guardReason], 'serving');
  });

  it('shows the audit details as text', async () => {
    await page.goto(`${server.url}/audit`);
    await page
      .getByRole('button', { name: /^Details of entry/ })
      .first()
      .waitFor();
    // One entry opens at a time: each in turn, its details read as the page shows them.
    let shown = '';
    for (const button of await page.getByRole('button', { name: /^Details of entry/ }).all()) {
      await button.click();
      await page.getByText('Previous hash').waitFor();
      shown += await page.evaluate(() => document.body.innerText);
      await expectClean('audit');
    }
    // Every hostile value the audit log holds in an entry's details (it echoes what was written above).
    const log = await apiCaller(server.url, adminTokenOf(server.url) ?? '')<{
      items: { details: Record<string, unknown> | null }[];
    }>('GET', '/audit?limit=100');
    const echoed = log.items
      .flatMap((e) => Object.values(e.details ?? {}))
      .filter((v): v is string => typeof v === 'string' && /pwned|\u202E/.test(v));
    expect(echoed.length).toBeGreaterThanOrEqual(4);
    for (const value of echoed) expect(shown, `audit details: ${value}`).toContain(value);
    await screenshot(page, 'xss-audit');
    await page.setViewportSize({ width: 768, height: 1024 });
    await expectClean('audit at 768 px');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows the admin pages as text', async () => {
    await visit('/admin/webhooks', [], 'admin-webhooks');
    await visit('/admin/tokens', [], 'admin-tokens');
    await visit('/admin/signers', [], 'admin-signers');
    await visit('/admin/environments', [], 'admin-environments');
    await visit('/deployments', [], 'deployments');
  });

  it('shows a hostile sign-in error as text, and never follows a returnTo off this site', async () => {
    await page.goto(`${server.url}/sign-in?error=${encodeURIComponent(hostile.img)}`);
    // Signed in, the sign-in page sends the person on: to `/`, never to the javascript: URL.
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    for (const returnTo of [hostile.js, '//evil.example/x', '/\\evil.example']) {
      await page.goto(`${server.url}/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      await page.waitForURL((url) => url.origin === server.url && !url.pathname.startsWith('/sign-in'));
      await expectClean(`returnTo ${returnTo}`);
    }
    const other = await newPerson(browser);
    await other.page.goto(`${server.url}/sign-in?error=${encodeURIComponent(hostile.img)}`);
    await other.page.getByText(`Sign-in failed (${hostile.img}).`).waitFor();
    expect(await other.page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(other.problems).toEqual([]);
    await other.context.close();
  });
});
