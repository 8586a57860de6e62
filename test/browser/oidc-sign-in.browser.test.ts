import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenOf, cleanup, freePort, type RunningWarden, startServer, tempDir } from '../e2e/helpers.js';
import { startTestProvider, type TestProvider } from '../identity/oidc-test-provider.js';
import { hasChromium, launchBrowser, newPerson, screenshot, seriousA11yViolations } from './browser.js';

/** A JSON Web Token (an ID or access token) anywhere in a string: three base64url parts, the first `{"`. */
const jwtPattern = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

/**
 * A subject (the account id) is the issuer's to choose, and is the user's name when neither the ID token nor
 * userinfo carries a preferred_username: the header must show it as text, isolated.
 */
const hostileName = '<img src=x onerror="window.__pwned=1">\u202Enimda';

/** Every action button the deployment pages can show; a viewer must see none. */
const actionButtons =
  /^(Approve|Reject|Apply|Cancel request|Promote|Abort|Roll back|Request deployment|Check gates|Create token|Add signer|Add endpoint)$/;

/**
 * Sign-in with OpenID Connect as a person does it: a real provider (oidc-provider, on loopback) with its
 * login page, a real `warden serve` configured for it through its variables, and Chromium in between.
 */
describe.skipIf(!hasChromium)('console sign-in with OIDC in Chromium', { timeout: 180_000 }, () => {
  let server: RunningWarden;
  let op: TestProvider;
  let browser: Browser;

  beforeAll(async () => {
    // The callback must be registered at the provider before Warden listens, so Warden's port is chosen first.
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/api/v1/session/oidc/callback`;
    op = await startTestProvider({
      redirectUri,
      users: {
        alice: { warden_roles: ['admin'], warden_teams: ['ml'], preferred_username: 'alice.liddell' },
        vic: { warden_roles: ['viewer'], warden_teams: ['ml'], preferred_username: 'vic' },
        [hostileName]: { warden_roles: ['viewer'], warden_teams: ['ml'] },
      },
    });
    const secretFile = path.join(tempDir('warden-browser-oidc-'), 'client-secret');
    writeFileSync(secretFile, `${op.clientSecret}\n`, { mode: 0o600 });
    server = await startServer({
      args: ['--port', String(port)],
      env: {
        WARDEN_OIDC_ISSUER: op.issuer,
        WARDEN_OIDC_AUDIENCE: 'warden',
        WARDEN_OIDC_JWKS_URL: `${op.issuer}/jwks`,
        WARDEN_OIDC_TEAMS_CLAIM: 'warden_teams',
        WARDEN_CONSOLE_OIDC_CLIENT_ID: op.clientId,
        WARDEN_CONSOLE_OIDC_CLIENT_SECRET_FILE: secretFile,
        WARDEN_CONSOLE_OIDC_REDIRECT_URI: redirectUri,
      },
    });
    expect(new URL(server.url).port).toBe(String(port));
    const res = await fetch(`${server.url}/api/v1/models`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminTokenOf(server.url)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'iris', owner: 'ml' }),
    });
    expect(res.status).toBe(201);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await op?.close();
    await cleanup();
  });

  /** Records every URL the page asked for or showed, and every JSON answer from Warden. */
  const record = (page: Page) => {
    const urls: string[] = [];
    const answers: Promise<string>[] = [];
    page.on('request', (request) => urls.push(request.url()));
    page.on('framenavigated', (frame) => urls.push(frame.url()));
    page.on('response', (response) => {
      if (response.url().startsWith(server.url) && response.headers()['content-type']?.includes('json'))
        answers.push(response.text().catch(() => ''));
    });
    return { urls, answers };
  };

  /** From a signed-out deep link through the provider's login page, back to the deep link signed in. */
  const signInThroughProvider = async (page: Page, deepLink: string, login: string, picture?: string) => {
    await page.goto(`${server.url}${deepLink}`);
    await page.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    await page.getByRole('link', { name: 'Sign in with OIDC' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${op.issuer}/interaction/`));
    await page.getByRole('heading', { name: 'Sign-in' }).waitFor();
    await page.getByPlaceholder('Enter any login').fill(login);
    await page.getByPlaceholder('and password').fill('correct horse battery staple');
    if (picture) await screenshot(page, picture);
    await page.getByRole('button', { name: 'Sign-in' }).click();
    // A provider that asks for consent shows a second page; this one grants it for its first-party client.
    const consent = page.getByRole('button', { name: 'Continue' });
    await Promise.race([
      page.waitForURL((url) => url.href.startsWith(server.url)),
      consent.waitFor().then(() => consent.click()),
    ]);
    await page.waitForURL(`${server.url}${deepLink}`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  };

  it('takes alice from a deep link through the provider back to it, signed in with her roles; sign-out ends the session on the server', async () => {
    const { page, context, problems } = await newPerson(browser);
    const seen = record(page);
    await signInThroughProvider(page, '/deployments', 'alice', 'oidc-provider-login');

    const header = page.getByRole('banner');
    await header.getByText('alice.liddell', { exact: true }).waitFor();
    await header.getByText('(admin)').waitFor();
    await page.getByRole('heading', { name: 'Deployments', level: 1 }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'oidc-signed-in');
    const session = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
    expect(session).toMatchObject({
      via: 'oidc',
      principal: { id: `oidc:${op.issuer}#alice`, roles: ['admin'], teams: ['ml'] },
    });

    // The browser never held a token from the issuer: not in a URL, not in storage, not in a readable
    // cookie, not in any JSON answer from Warden.
    const held = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
    }));
    for (const url of seen.urls) {
      expect(url).not.toMatch(/id_token|access_token/);
      expect(url).not.toMatch(jwtPattern);
    }
    expect(seen.urls.some((u) => u.startsWith(`${server.url}/api/v1/session/oidc/callback?code=`))).toBe(
      true,
    );
    for (const value of Object.values(held)) expect(value).not.toMatch(jwtPattern);
    expect(held.cookie).not.toContain('warden_session');
    for (const body of await Promise.all(seen.answers)) expect(body).not.toMatch(jwtPattern);

    // An admin is offered the actions a viewer (below) is not.
    await page.getByRole('link', { name: 'production' }).click();
    await page.getByRole('heading', { level: 1, name: 'production' }).waitFor();
    await page.goto(`${server.url}/deployments/production/iris`);
    await page.getByRole('button', { name: 'Request deployment' }).waitFor();

    // Signing out ends the session on the server: the old cookie, replayed, is refused.
    const cookie = (await context.cookies(server.url)).find((c) => c.name === 'warden_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    const replay = () =>
      fetch(`${server.url}/api/v1/whoami`, { headers: { cookie: `warden_session=${cookie?.value}` } });
    expect((await replay()).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Warden' }).waitFor();
    expect((await replay()).status).toBe(401);
    expect((await context.cookies(server.url)).some((c) => c.name === 'warden_session')).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('signs a viewer in with the viewer role, who sees no action button', async () => {
    const { page, context, problems } = await newPerson(browser);
    await signInThroughProvider(page, '/deployments/production/iris', 'vic');
    await page.getByRole('banner').getByText('(viewer)').waitFor();
    await page.getByRole('heading', { level: 1, name: 'iris in production' }).waitFor();
    await page.getByText('Nothing of iris is live in production.').waitFor();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.getByRole('button', { name: actionButtons }).count()).toBe(0);
    await screenshot(page, 'oidc-viewer');
    await page.goto(`${server.url}/admin/tokens`);
    await page.getByRole('heading', { name: 'Tokens', level: 1 }).waitFor();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('button', { name: actionButtons }).count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('brings a person who cancels at the provider back to sign-in, told why in words', async () => {
    const { page, context, problems } = await newPerson(browser);
    await page.goto(`${server.url}/approvals`);
    await page.getByRole('link', { name: 'Sign in with OIDC' }).click();
    await page.getByRole('heading', { name: 'Sign-in' }).waitFor();
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL(`${server.url}/sign-in?error=idp_error`);
    await page.getByRole('alert').getByText('The identity provider did not let you sign in.').waitFor();
    expect((await context.cookies(server.url)).some((c) => c.name === 'warden_session')).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a user name chosen at the issuer as text, its right-to-left override kept to itself', async () => {
    const { page, context, problems } = await newPerson(browser);
    await signInThroughProvider(page, '/approvals', hostileName);
    const name = page.getByRole('banner').locator('.who > :first-child');
    expect(
      await name.evaluate((el) => [el.textContent, el.tagName, getComputedStyle(el).unicodeBidi]),
    ).toEqual([hostileName, 'BDI', 'isolate']);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });
});
