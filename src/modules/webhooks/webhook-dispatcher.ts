import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Logger } from '../../platform/logger.js';
import { redactUrl } from '../../platform/redact-url.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import { wardenVersion } from '../../platform/version.js';
import type { KeyProvider } from '../keys/index.js';
import type { OutboxEvent, OutboxStore } from '../outbox/index.js';
import { type AttemptResult, type Backoff, decide, defaultBackoff } from './retry-policy.js';
import type { WebhookSender, WebhookStore } from './webhook.ports.js';
import type { DeliveryRecord, EndpointRecord } from './webhook.types.js';
import { unwrapSecret } from './webhook-secret.js';
import { signatureHeaders, webhookBody } from './webhook-signature.js';

/** The stores the dispatcher works on: the outbox it drains and the deliveries it makes and updates. */
export interface DispatchStores {
  outbox: OutboxStore;
  webhooks: WebhookStore;
}

export interface WebhookDispatcherDeps {
  /** Fan-out runs on a transaction: an event's deliveries and its dispatched mark commit together. */
  uow: UnitOfWork<DispatchStores>;
  /** Stores on the root connection: claims are single conditional updates, attempts their own writes. */
  read: DispatchStores;
  keys: Pick<KeyProvider, 'unwrap'>;
  sender: WebhookSender;
  clock: Clock;
  logger: Logger;
  /** `webhooks.timeoutSeconds`: one attempt, connect to answer. */
  timeoutSeconds: number;
  /** `webhooks.maxAttempts`. */
  maxAttempts: number;
  /** How often to look for work when nothing wakes the dispatcher (default 400 ms). */
  pollIntervalMs?: number;
  /** Attempts in flight at once (default 8). */
  concurrency?: number;
  /** Events fanned out per transaction (default 100). */
  batchSize?: number;
  backoff?: Backoff;
  random?: () => number;
}

export interface WebhookDispatcher {
  /** Starts the loop (once); `warden serve` calls it when it listens. */
  start(): void;
  /** Stops looking for work, aborts attempts in flight (their leases are given back) and waits for them. */
  stop(): Promise<void>;
  /** Looks for work now (a transaction just committed an outbox event). */
  wake(): void;
  /** One pass while stopped: fan out, claim what is due, send it and wait (for tests and tools). */
  runOnce(): Promise<number>;
}

/** Lease beyond the attempt's own timeout: the time to record the attempt once the answer is in. */
const leaseMarginMs = 30_000;

/**
 * Delivers the outbox: fans each event out to the endpoints subscribed to it (one delivery per event and
 * endpoint), then claims due deliveries with a lease (so replicas never send the same attempt twice),
 * signs and sends them, and records each attempt with what happens next. An event committed while no
 * dispatcher ran (a crash, a restart) is still in the outbox, and a claimed delivery whose dispatcher died
 * is due again once its lease runs out: nothing is lost, and a receiver may see an event more than once
 * (the same `webhook-id`).
 */
export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { uow, read, keys, sender, clock, timeoutSeconds, maxAttempts } = deps;
  const logger = deps.logger.child({ component: 'webhooks' });
  const pollIntervalMs = deps.pollIntervalMs ?? 400;
  const concurrency = deps.concurrency ?? 8;
  const batchSize = deps.batchSize ?? 100;
  const backoff = deps.backoff ?? defaultBackoff;
  const random = deps.random ?? Math.random;
  const timeoutMs = timeoutSeconds * 1000;
  // Names this dispatcher's leases; a new one per process.
  const owner = newId();

  let running = false;
  let loop: Promise<void> | null = null;
  let stopping = new AbortController();
  let woken = false;
  let wakeUp: (() => void) | null = null;
  const inFlight = new Set<Promise<void>>();

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken) {
        woken = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        wakeUp = null;
        woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakeUp = done;
    });

  /** One delivery for each subscribed endpoint of each undispatched event; returns how many events. */
  async function fanOut(): Promise<number> {
    // A cheap look first: most passes find nothing, and need no transaction.
    if ((await read.outbox.undispatched(1)).length === 0) return 0;
    return uow.run(async (stores) => {
      const events = await stores.outbox.undispatched(batchSize);
      if (events.length === 0) return 0;
      const endpoints = await stores.webhooks.listEndpoints();
      const at = clock.now().toISOString();
      const deliveries = events.flatMap((event) =>
        endpoints.filter((endpoint) => subscribed(endpoint, event)).map((e) => newDelivery(event, e, at)),
      );
      await stores.webhooks.insertDeliveries(deliveries);
      await stores.outbox.markDispatched(
        events.map((e) => e.id),
        at,
      );
      return events.length;
    });
  }

  /** Claims up to `free` due deliveries and starts an attempt for each; returns how many. */
  async function claimAndLaunch(free: number): Promise<number> {
    const now = clock.now();
    const nowIso = now.toISOString();
    const until = new Date(now.getTime() + timeoutMs + leaseMarginMs).toISOString();
    const claimed: DeliveryRecord[] = [];
    for (const d of await read.webhooks.dueDeliveries(nowIso, free)) {
      const lease = { owner, until, now: nowIso, attempts: d.attempts };
      if (await read.webhooks.claimDelivery(d.id, lease)) claimed.push(d);
    }
    if (claimed.length === 0) return 0;
    const events = new Map((await read.outbox.find(claimed.map((d) => d.eventId))).map((e) => [e.id, e]));
    const endpoints = new Map<string, EndpointRecord | null>();
    for (const d of claimed) {
      if (!endpoints.has(d.endpointId))
        endpoints.set(d.endpointId, await read.webhooks.findEndpoint(d.endpointId));
    }
    for (const d of claimed) {
      const task = attempt(d, events.get(d.eventId), endpoints.get(d.endpointId) ?? null)
        .catch((err: unknown) => {
          // The lease runs out and the delivery is due again: nothing is lost.
          logger.error({ err, delivery: d.id }, 'webhook attempt could not be recorded; it will be retried');
        })
        .finally(() => {
          inFlight.delete(task);
          if (running) wake();
        });
      inFlight.add(task);
    }
    return claimed.length;
  }

  async function attempt(d: DeliveryRecord, event: OutboxEvent | undefined, endpoint: EndpointRecord | null) {
    // Removed since the claim (its pending deliveries are cancelled) or gone: nothing to send.
    if (!event || !endpoint || endpoint.removedAt !== null || endpoint.secret === null) {
      await read.webhooks.releaseLease(d.id, owner);
      return;
    }
    const number = d.attempts + 1;
    const startedAt = clock.now();
    const result = await send(event, endpoint, startedAt);
    if (result === null) {
      // Stopping: the attempt never finished; the delivery is due again for whoever runs next.
      await read.webhooks.releaseLease(d.id, owner);
      return;
    }
    const durationMs = 'durationMs' in result ? result.durationMs : 0;
    const now = clock.now();
    const decision = decide(result, number, { maxAttempts, backoff, random, now });
    const nextAttemptAt =
      decision.delayMs === null ? null : new Date(now.getTime() + decision.delayMs).toISOString();
    const recorded = await uow.run((stores) =>
      stores.webhooks.finishAttempt(d.id, {
        owner,
        attempt: {
          deliveryId: d.id,
          attempt: number,
          startedAt: startedAt.toISOString(),
          durationMs,
          status: decision.status,
          error: decision.error,
        },
        state: decision.state,
        nextAttemptAt,
        at: now.toISOString(),
      }),
    );
    const fields = {
      delivery: d.id,
      event: event.id,
      type: event.type,
      endpoint: endpoint.id,
      url: redactUrl(endpoint.url),
      attempt: number,
      status: decision.status,
      error: decision.error,
      durationMs,
    };
    if (!recorded) logger.warn(fields, 'webhook delivery changed hands or was cancelled mid-attempt');
    else if (decision.state === 'delivered') logger.debug(fields, 'webhook delivered');
    else if (decision.state === 'failed') logger.warn(fields, 'webhook delivery failed for good');
    else logger.info({ ...fields, nextAttemptAt }, 'webhook delivery failed; will retry');
  }

  /** Signs and sends one attempt; null when the dispatcher stopped mid-send. */
  async function send(event: OutboxEvent, endpoint: EndpointRecord, at: Date): Promise<AttemptResult | null> {
    let secret: string;
    try {
      secret = await unwrapSecret(
        keys,
        endpoint.id,
        endpoint.secret as NonNullable<EndpointRecord['secret']>,
      );
    } catch (err) {
      logger.error({ err, endpoint: endpoint.id }, 'webhook secret cannot be unwrapped');
      return { kind: 'unsendable', error: 'secret_unavailable' };
    }
    const body = webhookBody(event);
    const outcome = await sender.send({
      url: endpoint.url,
      headers: {
        'content-type': 'application/json',
        'user-agent': `Warden-Webhooks/${wardenVersion}`,
        ...signatureHeaders(secret, event.id, at, body),
      },
      body,
      timeoutMs,
      signal: stopping.signal,
    });
    return outcome.kind === 'aborted' ? null : outcome;
  }

  async function pass(): Promise<boolean> {
    const fanned = await fanOut();
    const free = concurrency - inFlight.size;
    const launched = free > 0 ? await claimAndLaunch(free) : 0;
    return fanned > 0 || (free > 0 && launched === free);
  }

  async function run(): Promise<void> {
    while (running) {
      let busy = false;
      try {
        busy = await pass();
      } catch (err) {
        logger.error({ err }, 'webhook dispatch pass failed; trying again');
      }
      if (running && !busy) await nap(pollIntervalMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      loop = run();
    },
    async stop() {
      running = false;
      stopping.abort();
      wake();
      await loop;
      loop = null;
      await Promise.allSettled([...inFlight]);
      woken = false;
    },
    wake: () => {
      if (running) wake();
    },
    async runOnce() {
      if (running) throw new Error('runOnce is for a stopped dispatcher');
      await fanOut();
      const launched = await claimAndLaunch(concurrency);
      await Promise.allSettled([...inFlight]);
      return launched;
    },
  };
}

/** Whether an endpoint gets an event: it subscribes to the type (or to all) and existed when it happened. */
function subscribed(endpoint: EndpointRecord, event: OutboxEvent): boolean {
  return (
    endpoint.createdAt <= event.occurredAt &&
    (endpoint.events.includes('*') || endpoint.events.includes(event.type))
  );
}

function newDelivery(event: OutboxEvent, endpoint: EndpointRecord, at: string): DeliveryRecord {
  return {
    id: newId(),
    eventId: event.id,
    endpointId: endpoint.id,
    eventType: event.type,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastStatus: null,
    lastError: null,
    lastDurationMs: null,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
  };
}
