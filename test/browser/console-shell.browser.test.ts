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

  it('answers / and a deep link with the strict headers the issue asks for', async () => {
    for (const url of ['/', '/deployments/production?state=pending']) {
      const res = await fetch(`${server.url}${url}`, { headers: { accept: 'text/html' } });
      expect(res.status, url).toBe(200);
      const csp = Object.fromEntries(
        (res.headers.get('content-security-policy') ?? '').split(';').map((d) => {
          const [name = '', ...values] = d.trim().split(/\s+/);
          return [name, values.join(' ')];
        }),
      );
      expect(csp, url).toMatchObject({
        'default-src': "'none'",
        'script-src': "'self'",
        'style-src': "'self'",
        'base-uri': "'none'",
        'frame-ancestors': "'none'",
      });
      expect(Object.values(csp).join(' '), url).not.toMatch(/unsafe-|\*|data:.*script|http:|https:/);
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
    }
  });

  it('blocks an inline script and eval added to the running console, and reports each violation', async () => {
    const { page, context, problems } = await newPerson(browser);
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
      );
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
      // A string given to setTimeout is compiled when it runs, in the page: eval as far as CSP goes.
      (setTimeout as (code: string, ms: number) => number)('window.__evaluated = 1', 0);
      const img = document.createElement('img');
      img.setAttribute('src', 'x');
      img.setAttribute('onerror', 'window.__handler = 1');
      document.body.append(img);
      await new Promise((r) => setTimeout(r, 300));
      const w = window as { __inline?: number; __evaluated?: number; __handler?: number };
      return { ran: [w.__inline, w.__evaluated, w.__handler], violations };
    });
    expect(outcome.ran).toEqual([undefined, undefined, undefined]);
    expect(outcome.violations).toEqual(
      expect.arrayContaining(['script-src-elem inline', 'script-src eval', 'script-src-attr inline']),
    );
    // The harness sees the same refusals in the console: what fails any other browser test that trips it.
    expect(problems.filter((p) => p.startsWith('CSP:')).length).toBeGreaterThanOrEqual(3);
    await context.close();
  });
});
