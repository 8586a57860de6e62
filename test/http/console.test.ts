import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleCsp } from '../../src/http/plugins/console.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the web console at /', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-console-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Warden</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log(1)'));
    writeFileSync(path.join(dir, 'secret.txt'), 'not an asset');
    t = await createTestApp({ consoleDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page anonymously with a strict Content-Security-Policy and no framing', async () => {
    const res = await t.rawApp.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<div id="root">');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toBe(consoleCsp);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers a deep link from a browser with the page, so a reload keeps its place', async () => {
    for (const url of ['/models', '/models/iris/versions/3', '/audit?principal=x']) {
      const res = await t.rawApp.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('keeps unknown API, gateway and docs paths 404 problems, even for a browser', async () => {
    for (const url of ['/api/v1/nope', '/api/nope', '/metrics/x', '/docs/nope/x', '/assets/nope.js']) {
      const res = await t.rawApp.inject({ url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).not.toContain('text/html');
    }
    const v2 = await t.rawApp.inject({ url: '/v2/nope', headers: html });
    expect(v2.statusCode).toBe(404);
    expect(v2.json()).toHaveProperty('error');
  });

  it('gives an API client (no text/html) a 404 problem for an unknown path, and POST is never the page', async () => {
    const res = await t.rawApp.inject({ url: '/models', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('route_not_found');
    const post = await t.rawApp.inject({ method: 'POST', url: '/models', headers: html, payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('serves hashed assets as immutable and nothing outside the assets folder', async () => {
    const res = await t.rawApp.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.body).toBe('console.log(1)');
    const br = await t.rawApp.inject({
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');
    for (const url of [
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/..%2fsecret.txt',
      '/secret.txt',
    ]) {
      const bad = await t.rawApp.inject({ url });
      expect(bad.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(bad.body, url).not.toContain('not an asset');
    }
  });
});

describe('a server whose console is not built', () => {
  it('says how to build it at /, and the API still works', async () => {
    const t = await createTestApp({ consoleDir: path.join(tmpdir(), 'warden-no-console-here') });
    try {
      const res = await t.rawApp.inject({ url: '/', headers: html });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('console_not_built');
      const models = await t.app.inject({ url: '/api/v1/models' });
      expect(models.statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});
