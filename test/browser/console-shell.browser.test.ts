import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, type RunningWarden, startServer } from '../e2e/helpers.js';
import { hasChromium, launchBrowser, newPerson, screenshot, seriousA11yViolations } from './browser.js';

describe.skipIf(!hasChromium)('the console shell in Chromium', () => {
  let server: RunningWarden;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await cleanup();
  });

  it('sends a signed-out visitor to sign-in, under the strict CSP, with no serious accessibility violation', async () => {
    const { page, problems, context } = await newPerson(browser);
    await page.goto(`${server.url}/models`);
    await page.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/models');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');
    expect(problems).toEqual([]);
    await context.close();
  });
});
