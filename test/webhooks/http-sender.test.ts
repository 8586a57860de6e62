import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDnsHostResolver,
  createHttpWebhookSender,
  type Lookup,
} from '../../src/adapters/webhook/http-webhook-sender.js';
import type { WebhookRequest } from '../../src/modules/webhooks/index.js';
import { type Receiver, startReceiver } from '../fixtures/webhook-receiver.js';

// The sender's connect-time guard, against real sockets: what a name resolves to when the connection is
// made is what counts, so a name that resolved to a public address at registration and to loopback now
// (DNS rebinding) is refused before a byte is sent.

const request = (url: string, timeoutMs = 2000): WebhookRequest => ({
  url,
  headers: { 'content-type': 'application/json', 'webhook-id': 'evt' },
  body: '{"type":"version.pushed"}',
  timeoutMs,
  signal: new AbortController().signal,
});

/** A resolver that answers `addresses` for every name (the stand-in for DNS: tests reach no real one). */
const resolvingTo =
  (...addresses: string[]): Lookup =>
  (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

describe('the HTTP webhook sender', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('refuses a name that resolves to loopback at connect time (rebinding), sending nothing', async () => {
    receiver = await startReceiver();
    // Registration saw a public address; the connection's own lookup now answers 127.0.0.1.
    const registration = createDnsHostResolver({ lookup: resolvingTo('93.184.216.34') });
    expect(await registration.resolve('rebind.test')).toEqual(['93.184.216.34']);
    const sender = createHttpWebhookSender({
      allowPrivateTargets: false,
      lookup: resolvingTo('127.0.0.1'),
    });
    const outcome = await sender.send(request(`http://rebind.test:${receiver.port}/hook`));
    expect(outcome).toMatchObject({
      kind: 'failure',
      failure: 'target_address_forbidden',
      detail: '127.0.0.1',
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('gives up resolving a name that does not answer at registration', async () => {
    const silent: Lookup = () => {};
    const resolver = createDnsHostResolver({ lookup: silent, timeoutMs: 50 });
    await expect(resolver.resolve('slow.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });

  it('refuses a name with one private address among public ones', async () => {
    receiver = await startReceiver();
    const sender = createHttpWebhookSender({
      allowPrivateTargets: false,
      lookup: resolvingTo('93.184.216.34', '::ffff:127.0.0.1'),
    });
    const outcome = await sender.send(request(`http://mixed.test:${receiver.port}/hook`));
    expect(outcome).toMatchObject({ kind: 'failure', failure: 'target_address_forbidden' });
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses localhost through the system resolver, and IP literals (IPv4, IPv6, IPv4-mapped)', async () => {
    receiver = await startReceiver();
    const sender = createHttpWebhookSender({ allowPrivateTargets: false });
    for (const host of ['localhost', '127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]']) {
      const outcome = await sender.send(request(`http://${host}:${receiver.port}/hook`));
      expect(outcome, host).toMatchObject({ kind: 'failure', failure: 'target_address_forbidden' });
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('sends to loopback when private targets are allowed, and reports the answer without following a redirect', async () => {
    receiver = await startReceiver((n) =>
      n === 1 ? { status: 302, headers: { location: 'http://169.254.169.254/' } } : { status: 200 },
    );
    const sender = createHttpWebhookSender({ allowPrivateTargets: true });
    const outcome = await sender.send(request(`http://localhost:${receiver.port}/hook`));
    expect(outcome).toMatchObject({ kind: 'response', status: 302 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({
      method: 'POST',
      path: '/hook',
      body: '{"type":"version.pushed"}',
    });
    expect(receiver.received[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt',
    });
  });

  it('times a hanging receiver out, reports connection errors, and hands back Retry-After', async () => {
    receiver = await startReceiver((n) =>
      n === 1 ? 'hang' : { status: 429, headers: { 'retry-after': '7' } },
    );
    const sender = createHttpWebhookSender({ allowPrivateTargets: true });
    const started = Date.now();
    expect(await sender.send(request(receiver.url, 300))).toMatchObject({
      kind: 'failure',
      failure: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await sender.send(request(receiver.url))).toMatchObject({
      kind: 'response',
      status: 429,
      retryAfter: '7',
    });
    const port = receiver.port;
    await receiver.close();
    receiver = undefined;
    expect(await sender.send(request(`http://127.0.0.1:${port}/hook`))).toMatchObject({
      kind: 'failure',
      failure: 'connection_failed',
      detail: 'ECONNREFUSED',
    });
  });

  it('gives up at once when the dispatcher stops mid-send', async () => {
    receiver = await startReceiver(() => 'hang');
    const sender = createHttpWebhookSender({ allowPrivateTargets: true });
    const stop = new AbortController();
    const sent = sender.send({ ...request(receiver.url, 10_000), signal: stop.signal });
    while (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    expect(await sent).toEqual({ kind: 'aborted' });
  });
});
