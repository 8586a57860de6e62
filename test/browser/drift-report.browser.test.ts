import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDriftReport } from '../../src/modules/monitor/index.js';
import { irisReference, shifted, windowOf } from '../monitor/iris-window.js';
import { hasChromium, launchBrowser, screenshot, seriousA11yViolations } from './browser.js';
import { underColumnThreshold } from './monitoring-seed.js';

/**
 * The drift report opened as a downloaded file would be: in Chromium with JavaScript off, from a page with
 * no server behind it. It must display whole (charts laid out, bars as tall as their shares), ask for
 * nothing over the network, log no error, print light, and pass axe in the light and the dark colour scheme,
 * with a column whose threshold the monitor policy set (its "set by policy" marks included).
 */
describe.skipIf(!hasChromium)('the drift report in a browser', { timeout: 120_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('displays without JavaScript, fetches nothing and has no serious accessibility issue', async () => {
    const summary = underColumnThreshold(
      windowOf(shifted({ petal_length: 2, petal_width: 1 })),
      'sepal_width',
      0.1,
    );
    const html = renderDriftReport({
      summary,
      reference: irisReference(),
      generatedAt: '2026-12-07T15:00:00.000Z',
    });
    const backgrounds: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        colorScheme,
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(msg.text());
      });
      page.on('request', (request) => {
        if (!/^(about|data):/.test(request.url())) problems.push(`request: ${request.url()}`);
      });
      await page.setContent(html, { waitUntil: 'load' });

      expect(await page.title()).toContain('Drift report');
      expect(await page.locator('h1').isVisible()).toBe(true);
      expect(await page.locator('table').first().isVisible()).toBe(true);
      // The policy's choice: marked in the column's row, and listed beside the default selection rules.
      const sepalWidth = page.getByRole('row', { name: /sepal_width\W+feature numeric Kolmogorov/ });
      expect(await sepalWidth.getByText('(set by policy)').isVisible()).toBe(true);
      expect(
        await page.getByText(/monitor policy chose instead of these rules for 1 column/).isVisible(),
      ).toBe(true);
      const charts = page.locator('svg.chart');
      expect(await charts.count()).toBe(summary.histograms.length);
      // The petal-length chart as laid out: each bar's drawn height over the tallest is its share over the largest.
      const index = summary.histograms.findIndex((h) => h.column === 'petal_length');
      const histogram = summary.histograms[index];
      const heights = await charts
        .nth(index)
        .locator('rect.bar-ref, rect.bar-cur')
        .evaluateAll((rects) => rects.map((rect) => rect.getBoundingClientRect().height));
      const shares = (histogram?.reference ?? []).flatMap((p, i) => [p, histogram?.current[i] ?? 0]);
      const tallest = Math.max(...heights);
      expect(tallest).toBeGreaterThan(100);
      heights.forEach((height, i) => {
        expect(Math.abs(height / tallest - (shares[i] ?? 0) / Math.max(...shares))).toBeLessThan(0.01);
      });
      backgrounds.push(await page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor));

      // Printed, it is light whatever the screen's scheme.
      await page.emulateMedia({ media: 'print' });
      const printed = await page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);
      expect(printed).toBe('rgb(255, 255, 255)');
      await page.emulateMedia({ media: 'screen' });

      expect(problems).toEqual([]);
      await screenshot(page, `drift-report-${colorScheme}`);
      await context.close();

      // axe-core needs script timers, which a page without JavaScript does not run: the same report, the
      // same colour scheme, in a context that lets Playwright's injected (never the page's) script run.
      const audited = await browser.newContext({ colorScheme, viewport: { width: 1280, height: 900 } });
      const auditPage = await audited.newPage();
      await auditPage.setContent(html, { waitUntil: 'load' });
      expect(await seriousA11yViolations(auditPage), colorScheme).toEqual([]);
      await audited.close();
    }
    expect(backgrounds[0]).not.toBe(backgrounds[1]);
  });
});
