import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { repoRoot } from '../e2e/helpers.js';

/** Debian's Chromium (installed by .ci/run with apt-get); a browser is never downloaded. */
export const chromiumPath = process.env.WARDEN_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Whether this machine can run the browser tests (CI always can: .ci/run installs Chromium). */
export const hasChromium = existsSync(chromiumPath);

/** Where the browser tests write their screenshots (a CI artefact, ignored by git). */
export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A fresh browser context (its own cookies: one person) that fails the test on any page error or
 * Content-Security-Policy violation, so a broken or blocked script cannot pass as a quiet page.
 */
export async function newPerson(browser: Browser, viewport = { width: 1280, height: 800 }) {
  const context: BrowserContext = await browser.newContext({ viewport });
  const problems: string[] = [];
  const page: Page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(text))
      problems.push(`CSP: ${text}`);
  });
  return { context, page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the current page (rule id and the first few targets). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Injected through Playwright's isolated evaluation, not a <script> tag, so the page's CSP stays strict.
  await page.evaluate(axeSource);
  const results = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[];
  };
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`,
    );
}
