// Time from navigation to a console page's first table row in headless Chromium, and the same browser's
// time to fetch and parse the API page behind it (the baseline: what the console adds over the raw API).
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface PageCase {
  name: string;
  /** The console page, e.g. "/models". */
  path: string;
  /** The API call that page makes for its table, with the page's own page size. */
  api: string;
  /** The first row of that table. */
  row: string;
}

export interface PageSamples {
  cold: number[];
  warm: number[];
  /**
   * The same navigations in the page's own clock: from its navigation start to the first row inserted in
   * the document (a MutationObserver), without Playwright's round trips and polling, which a loaded
   * machine stretches.
   */
  coldInPage: number[];
  warmInPage: number[];
  /** fetch + JSON parse of `api` from a page of the same origin, in the page's clock. */
  rawFetch: number[];
}

/** A browser context (one person: no cache, its own cookies) signed in with the token. */
async function signedIn(browser: Browser, url: string, token: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const res = await context.request.post(`${url}/api/v1/session`, {
    data: { token },
    headers: { origin: url },
  });
  if (res.status() !== 201) throw new Error(`sign-in: ${res.status()} ${await res.text()}`);
  return context;
}

/**
 * Milliseconds from the start of `page.goto` to the first row visible, and in the page from its
 * navigation start to the row's insertion.
 */
async function navigate(page: Page, url: string, c: PageCase): Promise<{ wall: number; inPage: number }> {
  const started = performance.now();
  await page.goto(`${url}${c.path}`, { waitUntil: 'commit' });
  await page.waitForSelector(c.row, { state: 'visible', timeout: 60_000 });
  const wall = performance.now() - started;
  const inPage = await page.evaluate(() => (globalThis as { rowAt?: number }).rowAt ?? Number.NaN);
  // Whatever else the page asked for (the audit page verifies the whole chain) ends before the next
  // measurement, so no case starts against a server still busy with the previous one.
  await page.waitForLoadState('networkidle');
  return { wall, inPage };
}

/** Notes, in every document the page opens, when a first row matching `selector` is inserted. */
async function watchRows(page: Page, selector: string): Promise<void> {
  // Injected by Playwright before the page's scripts, not as a <script>: the console's CSP stays strict.
  // A string, as this project's TypeScript has no DOM types outside web/.
  await page.addInitScript({
    content: `new MutationObserver((_, observer) => {
      if (!document.querySelector(${JSON.stringify(selector)})) return;
      globalThis.rowAt = performance.now();
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });`,
  });
}

async function rawFetch(page: Page, api: string): Promise<number> {
  return page.evaluate(async (path) => {
    const started = performance.now();
    const res = await fetch(path, { credentials: 'same-origin' });
    const body = (await res.json()) as { items?: unknown[] };
    if (!res.ok || !Array.isArray(body.items) || body.items.length === 0)
      throw new Error(`${path}: ${res.status}`);
    return performance.now() - started;
  }, api);
}

/**
 * Rounds of: a new signed-in context, a first (cold: empty cache) navigation to each page, a second
 * (warm: scripts cached, API answers not) navigation, and the raw fetch from a plain page of the same
 * origin. Cases run interleaved, round after round, so a burst of load from a neighbour slows a round.
 */
export async function measurePages(
  browser: Browser,
  url: string,
  token: string,
  cases: PageCase[],
  runs: number,
  onProblem: (problem: string) => void,
): Promise<Map<string, PageSamples>> {
  const samples = new Map(
    cases.map((c) => [
      c.name,
      { cold: [], warm: [], coldInPage: [], warmInPage: [], rawFetch: [] } as PageSamples,
    ]),
  );
  for (let round = 0; round < runs; round++) {
    for (const c of cases) {
      const s = samples.get(c.name) as PageSamples;
      const context = await signedIn(browser, url, token);
      try {
        const page = await context.newPage();
        page.on('pageerror', (err) => onProblem(`${c.path}: ${err.message}`));
        await watchRows(page, c.row);
        const cold = await navigate(page, url, c);
        const warm = await navigate(page, url, c);
        s.cold.push(cold.wall);
        s.coldInPage.push(cold.inPage);
        s.warm.push(warm.wall);
        s.warmInPage.push(warm.inPage);
        // A same-origin document that runs no script of ours: the fetch alone.
        await page.goto(`${url}/favicon.svg`);
        s.rawFetch.push(await rawFetch(page, c.api));
      } finally {
        await context.close();
      }
    }
  }
  return samples;
}
