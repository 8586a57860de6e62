import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { checkServerUrl, createApiClient, type FileDownload } from './api-client.js';

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

  /** Reads a file download whichever way it came, with a sink that takes at most `step` bytes, then waits. */
  async function readFile(res: FileDownload, step = Number.POSITIVE_INFINITY): Promise<Buffer> {
    const got: Buffer[] = [];
    if (Symbol.asyncIterator in res.body) {
      for await (const piece of res.body) got.push(Buffer.from(piece));
      return Buffer.concat(got);
    }
    let calls = 0;
    await res.body.readInto({
      take(piece) {
        // Every other call takes nothing: the socket must pause and offer the rest again after ready().
        if (++calls % 2 === 0) return 0;
        const n = Math.min(step, piece.length);
        got.push(Buffer.from(piece.subarray(0, n)));
        return n;
      },
      ready: () => new Promise((resolve) => setTimeout(resolve, 1)),
    });
    return Buffer.concat(got);
  }

  it('reads a file answer raw from the socket, byte for byte, however slowly the sink takes it', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    await withServer(
      (req, res) => {
        if (req.url === '/missing') {
          res.writeHead(403, { 'content-type': 'application/problem+json' });
          res.end(JSON.stringify({ code: 'forbidden', detail: 'not yours' }));
          return;
        }
        res.writeHead(200, {
          'content-length': data.length,
          'x-warden-signatures': 'verified',
          'x-auth': String(req.headers.authorization),
        });
        res.end(data);
      },
      async (url) => {
        const client = createApiClient(url, { token: 't0k' });
        const res = await client.downloadFile('/file');
        expect(Symbol.asyncIterator in res.body).toBe(false);
        expect(res.header('X-Warden-Signatures')).toBe('verified');
        expect(res.header('x-auth')).toBe('Bearer t0k');
        expect((await readFile(res, 100_000)).equals(data)).toBe(true);
        expect((await readFile(await client.downloadFile('/file'))).equals(data)).toBe(true);
        await expect(client.downloadFile('/missing')).rejects.toMatchObject({
          code: 'forbidden',
          kind: 'forbidden',
        });
      },
    );
  });

  it('falls back to node:http for an answer without Content-Length (chunked)', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'transfer-encoding': 'chunked' });
        res.write('abc');
        res.end('def');
      },
      async (url) => {
        const res = await createApiClient(url).downloadFile('/file');
        expect(Symbol.asyncIterator in res.body).toBe(true);
        expect((await readFile(res)).toString()).toBe('abcdef');
      },
    );
  });

  it('reports a raw download cut mid-body, or a server that is not there, as the server failing', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('0123456789');
        setTimeout(() => res.destroy(), 20);
      },
      async (url) => {
        const res = await createApiClient(url).downloadFile('/file');
        await expect(readFile(res)).rejects.toMatchObject({ code: 'server_unreachable' });
      },
    );
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createApiClient(`http://127.0.0.1:${port}`).downloadFile('/file')).rejects.toMatchObject({
      code: 'server_unreachable',
    });
  });
});
