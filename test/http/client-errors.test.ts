import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// What Node's HTTP parser refuses before Fastify sees a request (URL or headers over its 16 KiB limit,
// bytes that are not HTTP) must still be problem+json: these run over a real listening socket, since
// inject() never goes through the parser.
interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What came back on a socket, once the server closed it. */
function answerOf(socket: Socket): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

function send(port: number, bytes: string): Promise<RawAnswer> {
  const socket = connect(port, '127.0.0.1');
  const answer = answerOf(socket);
  socket.end(bytes);
  return answer;
}

function expectRawProblem(res: RawAnswer, status: number, code: string, title: string) {
  expect(res.status, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body).toMatchObject({ status, code, title, type: `urn:warden:error:${code}` });
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  return body;
}

describe('errors raised before a request reaches Fastify, over a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp();
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => t?.close());

  const auditCount = async () =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/audit/verify' })).json().entries as number;

  it('answers a URL over the header limit with 414 uri_too_long', async () => {
    const res = await send(port, `GET /api/v1/models/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectRawProblem(res, 414, 'uri_too_long', 'URI Too Long');
  });

  it('answers a URL over 8 KiB but under the header limit with 414 uri_too_long', async () => {
    const res = await send(
      port,
      `GET /api/v1/models?after=${'a'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expectRawProblem(res, 414, 'uri_too_long', 'URI Too Long');
  });

  it('answers headers over the limit with 431 headers_too_large', async () => {
    const res = await send(
      port,
      `GET /api/v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
    );
    expectRawProblem(res, 431, 'headers_too_large', 'Request Header Fields Too Large');
  });

  it('answers bytes that are not HTTP with 400 malformed_http', async () => {
    for (const bytes of [
      'NOT HTTP AT ALL\r\n\r\n',
      'GET / HTTP/1.1\r\nBad Header\r\n\r\n',
      'POST /api/v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ]) {
      expectRawProblem(await send(port, bytes), 400, 'malformed_http', 'Bad Request');
    }
  });

  it('answers a bad percent-encoding with 400 malformed_url', async () => {
    const res = await send(port, 'GET /api/v1/models/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n');
    expectRawProblem(res, 400, 'malformed_url', 'Bad Request');
  });

  it('writes no audit entry for any of them, and keeps serving', async () => {
    const before = await auditCount();
    expect(before).toBeGreaterThan(0);
    await send(port, `GET /api/v1/models/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await send(port, `GET /api/v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    await send(port, 'GET /api/v1/models/%zz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await auditCount()).toBe(before);
    const ok = await send(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(ok.status).toBe(200);
  });
});

describe('a request arriving while the server closes', () => {
  it('answers 503 server_closing as problem+json, with Connection: close', async () => {
    let answer: Promise<RawAnswer> | undefined;
    let port = 0;
    const t = await createTestApp({
      // Runs after the transport guard's own preClose hook and before Fastify stops accepting
      // connections: the moment a request from a load balancer that has not yet noticed can still arrive.
      beforeReady: (app) =>
        app.addHook('preClose', async () => {
          answer = send(port, 'GET /api/v1/models HTTP/1.1\r\nHost: x\r\n\r\n');
          await answer;
        }),
    });
    await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
    const address = t.rawApp.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    await t.close();
    if (!answer) throw new Error('the preClose hook did not run');
    const res = await answer;
    expectRawProblem(res, 503, 'server_closing', 'Service Unavailable');
    expect(res.headers.connection).toBe('close');
  });
});

describe('a request whose headers never finish arriving', () => {
  it('answers 408 request_timeout as problem+json once Node gives up on it', async () => {
    const t = await createTestApp({
      // Node's own timers (headersTimeout 60 s, checked every 30 s) shortened so the test takes a moment;
      // Warden sets none of them, so this is what a slow-headers client meets in production too.
      beforeReady: (app) => {
        app.server.headersTimeout = 200;
        app.server.requestTimeout = 300;
        (
          app.server as typeof app.server & { connectionsCheckingInterval: number }
        ).connectionsCheckingInterval = 50;
      },
    });
    try {
      await t.rawApp.listen({ port: 0, host: '127.0.0.1' });
      const address = t.rawApp.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const socket = connect(port, '127.0.0.1');
      const answer = answerOf(socket);
      // The request line and one header, then nothing: the headers never end.
      socket.write('GET /api/v1/models HTTP/1.1\r\nHost: x\r\n');
      const res = await answer;
      expectRawProblem(res, 408, 'request_timeout', 'Request Timeout');
    } finally {
      await t.close();
    }
  });
});
