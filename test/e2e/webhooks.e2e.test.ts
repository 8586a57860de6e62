import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver } from '../fixtures/webhook-receiver.js';
import { cleanup, freePort, repoRoot, startServer, tempDir, warden, wardenJson } from './helpers.js';

const irisOnnx = path.join(repoRoot, 'examples', 'iris', 'model', 'iris.onnx');

interface Delivery {
  eventId: string;
  state: string;
  attempts: number;
  history: { attempt: number; status: number | null; error: string | null }[];
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('webhooks, as a process', { timeout: 120_000 }, () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await cleanup();
  });

  it('shows the secret once, and delivers after a kill -9 the event committed before it', async () => {
    const dataDir = tempDir();
    // The receiver is down at first: nothing listens on its port yet.
    const port = await freePort();
    const env = { WARDEN_WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true', WARDEN_WEBHOOKS_TIMEOUT_SECONDS: '2' };
    const first = await startServer({ dataDir, env });
    const url = first.url;

    const added = await warden(
      ['webhook', 'add', `http://127.0.0.1:${port}/hook`, '--events', 'version.pushed'],
      {
        url,
      },
    );
    expect(added.code, added.stderr).toBe(0);
    const secret = added.stdout.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(added.stderr).toContain('shown only this once');
    const list = await warden(['webhook', 'list'], { url });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+URL\s+EVENTS\s+SECRET\s+CREATED/);
    expect(list.stdout).toContain(`${secret.slice(0, 10)}…`);
    expect(list.stdout).not.toContain(secret.slice(10, 22));

    expect((await warden(['model', 'create', 'iris'], { url })).code).toBe(0);
    const pushed = await warden(['model', 'push', irisOnnx, '--model', 'iris'], { url });
    expect(pushed.code, pushed.stderr).toBe(0);
    // The first attempt finds nobody listening, and is scheduled again.
    await until(
      () => wardenJson<{ items: Delivery[] }>(['webhook', 'deliveries'], { url }),
      (page) => (page.items[0]?.attempts ?? 0) >= 1,
      20_000,
    );
    first.proc.child.kill('SIGKILL');
    await first.proc.exited;

    const receiver = await startReceiver(() => ({ status: 200 }), { port });
    closers.push(() => receiver.close());
    const second = await startServer({ dataDir, env });
    closers.push(() => second.stop());
    // Due again at once, or when a lease the killed process held runs out.
    await until(
      async () => receiver.received.length,
      (n) => n >= 1,
      60_000,
    );
    const [hook] = receiver.received;
    if (!hook) throw new Error('no hook');
    const payload = new Webhook(secret).verify(hook.body, {
      'webhook-id': String(hook.headers['webhook-id']),
      'webhook-timestamp': String(hook.headers['webhook-timestamp']),
      'webhook-signature': String(hook.headers['webhook-signature']),
    }) as { type: string; data: { model: string; version: number } };
    expect(payload).toMatchObject({ type: 'version.pushed', data: { model: 'iris', version: 1 } });

    const [delivery] = (
      await until(
        () => wardenJson<{ items: Delivery[] }>(['webhook', 'deliveries'], { url: second.url }),
        (page) => page.items[0]?.state === 'delivered',
        20_000,
      )
    ).items;
    expect(delivery?.eventId).toBe(hook.headers['webhook-id']);
    expect(delivery?.history.at(-1)).toMatchObject({ status: 200, error: null });
    expect(delivery?.history[0]?.error).toMatch(/^connection_failed/);
    const table = await warden(['webhook', 'deliveries'], { url: second.url });
    expect(table.stdout).toMatch(/^DELIVERY\s+ENDPOINT\s+EVENT\s+TYPE\s+STATE\s+ATTEMPTS/);
    expect(table.stdout).toContain('delivered');
    expect(receiver.received).toHaveLength(1);
    const [endpoint] = await wardenJson<{ id: string }[]>(['webhook', 'list'], { url: second.url });
    const removed = await warden(['webhook', 'remove', endpoint?.id ?? ''], { url: second.url });
    expect(removed.stdout).toContain(`Removed webhook ${endpoint?.id}`);
    expect(await wardenJson(['webhook', 'list'], { url: second.url })).toEqual([]);
    // No log line of either server carries the secret.
    for (const out of [first.proc.stdout(), first.proc.stderr(), second.proc.stdout(), second.proc.stderr()])
      expect(out).not.toContain(secret.slice(6, 20));
  });
});
