import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { checkServerUrl, createApiClient } from './api-client.js';

const refusal = (url: string) => {
  try {
    checkServerUrl(url);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('server_url_invalid');
    return (err as AppError).message;
  }
};

describe('checkServerUrl', () => {
  it.each([
    'http://127.0.0.1:8080',
    'https://warden.example',
    'HTTP://LOCALHOST:1',
    'http://[::1]:8080/base',
  ])('accepts %s', (url) => expect(refusal(url)).toBeNull());

  it.each([
    ['localhost:8080', 'has no scheme: add http:// or https://, e.g. http://localhost:8080'],
    ['127.0.0.1:8080', 'has no scheme'],
    ['warden.internal', 'has no scheme'],
    ['//warden.internal', 'e.g. http://warden.internal'],
    ['http:/x', 'is malformed'],
    ['http//x', 'has no scheme'],
    [' http://x', 'has spaces around it'],
    ['ftp://x', 'uses ftp://'],
    ['file:///etc/passwd', 'uses file://'],
    ['http://', 'is not a valid URL'],
  ])('refuses %j: %s', (url, reason) => {
    const message = refusal(url);
    expect(message).toContain(JSON.stringify(url));
    expect(message).toContain(reason);
  });
});

describe('download', () => {
  /** A local server that answers every request with `handler`; closed after `body` runs. */
  async function withServer(
    handler: http.RequestListener,
    body: (url: string) => Promise<void>,
  ): Promise<void> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('streams the body and reads headers in any case; a problem answer becomes its error', async () => {
    await withServer(
      (req, res) => {
        if (req.url === '/missing') {
          res.writeHead(404, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ code: 'model_not_found', detail: 'no such model' }));
          return;
        }
        res.writeHead(200, {
          'x-warden-signatures': 'verified',
          authorization: String(req.headers.authorization),
        });
        res.end('abc');
      },
      async (url) => {
        const client = createApiClient(url, { token: 't0k' });
        const res = await client.download('/file');
        expect(res.header('X-Warden-Signatures')).toBe('verified');
        expect(res.header('authorization')).toBe('Bearer t0k');
        const got: Buffer[] = [];
        for await (const piece of res.body) got.push(piece);
        expect(Buffer.concat(got).toString()).toBe('abc');
        await expect(client.download('/missing')).rejects.toMatchObject({
          code: 'model_not_found',
          kind: 'not_found',
        });
      },
    );
  });

  it('reports a connection cut mid-body as the server failing, not as a local write error', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('0123456789');
        setTimeout(() => res.destroy(), 20);
      },
      async (url) => {
        const res = await createApiClient(url).download('/file');
        const drain = async () => {
          for await (const _ of res.body);
        };
        await expect(drain()).rejects.toMatchObject({ code: 'server_unreachable' });
      },
    );
  });
});
