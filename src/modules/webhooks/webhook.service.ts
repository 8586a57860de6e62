import type { CallContext } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Page } from '../../platform/page.js';
import { redactUrl } from '../../platform/redact-url.js';
import type { KeyProvider } from '../keys/index.js';
import { isWebhookEventType, webhookEventTypes } from '../outbox/index.js';
import type { Access, ResourceRef } from '../policy/index.js';
import { addressAllowed, ipLiteralOf, parseTargetUrl } from './target-address.js';
import {
  webhookEventsRequired,
  webhookEventUnknown,
  webhookLimitReached,
  webhookNotFound,
  webhookTargetForbidden,
  webhookTargetUnresolvable,
} from './webhook.errors.js';
import type { WebhookEvent } from './webhook.events.js';
import type { HostResolver, WebhookStores, WebhookUnitOfWork } from './webhook.ports.js';
import type { EndpointRecord, EventSelector } from './webhook.types.js';
import {
  type CreatedEndpoint,
  type DeliveryView,
  deliveryView,
  type EndpointView,
  endpointView,
} from './webhook.views.js';
import { generateSecret, secretHint, unwrapSecretBytes, wrapSecret } from './webhook-secret.js';

/** What the webhooks module needs from policy and audit: the one access contract, speaking its events. */
export type WebhookAccess = Access<WebhookEvent>;

/** The most endpoints kept at once: each event is sent to each, so the fan-out stays bounded. */
export const maxEndpoints = 100;

export interface CreateEndpointInput {
  url: string;
  /** Event types, or `*` alone for every event. */
  events: string[];
  description?: string;
}

export interface WebhookServiceDeps {
  uow: WebhookUnitOfWork;
  /** Stores on the root connection, for reads (and the single-row secret re-wrap). */
  read: Pick<WebhookStores, 'webhooks'>;
  /** Wraps each endpoint's secret, so a database dump alone does not reveal it. */
  keys: Pick<KeyProvider, 'wrap' | 'unwrap' | 'currentKekId'>;
  resolver: HostResolver;
  clock: Clock;
  access: WebhookAccess;
  /** `webhooks.allowPrivateTargets`. */
  allowPrivateTargets: boolean;
}

export type WebhookService = ReturnType<typeof createWebhookService>;

// Endpoints are global objects (they receive every team's events): each action is decided on the registry.
const registry: ResourceRef = { type: 'Registry' };

/** Webhook endpoints (register with a secret shown once, list, remove) and their delivery log. */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { uow, read, keys, resolver, clock, access, allowPrivateTargets } = deps;

  /** Every address the host has must be allowed: a name with one private address is refused whole. */
  async function checkTarget(url: URL): Promise<void> {
    const literal = ipLiteralOf(url.hostname);
    let addresses: string[];
    if (literal !== null) addresses = [literal];
    else {
      addresses = await resolver.resolve(url.hostname).catch(() => []);
      if (addresses.length === 0) throw webhookTargetUnresolvable(url.hostname);
    }
    const refused = addresses.find((a) => !addressAllowed(a, allowPrivateTargets));
    if (refused !== undefined) throw webhookTargetForbidden(url.hostname, refused);
  }

  return {
    /** Registers an endpoint; the answer carries its signing secret, this once. */
    async create(input: CreateEndpointInput, ctx: CallContext): Promise<CreatedEndpoint> {
      const url = parseTargetUrl(input.url);
      const events = normalizeEvents(input.events);
      await access.require(ctx, 'webhook:create', registry);
      // Resolved only for a caller who may register: nobody else can make the server look names up.
      await checkTarget(url);
      const id = newId();
      const { secret, raw } = generateSecret();
      const wrapped = await wrapSecret(keys, id, raw);
      raw.fill(0);
      const record: EndpointRecord = {
        id,
        url: url.href,
        events,
        description: input.description?.trim() || null,
        secret: wrapped,
        secretHint: secretHint(secret),
        createdBy: ctx.principal.id,
        createdByName: ctx.principal.name,
        createdAt: clock.now().toISOString(),
        removedAt: null,
        removedBy: null,
      };
      await uow.run(async (stores) => {
        if ((await stores.webhooks.countEndpoints()) >= maxEndpoints) throw webhookLimitReached(maxEndpoints);
        await stores.webhooks.insertEndpoint(record);
        await access.record(stores, ctx, {
          type: 'webhook.endpoint.created',
          endpointId: id,
          url: redactUrl(record.url),
          events,
        });
      });
      return { ...endpointView(record), secret };
    },

    async list(ctx: CallContext): Promise<EndpointView[]> {
      await access.require(ctx, 'webhook:list', registry);
      return (await read.webhooks.listEndpoints()).map(endpointView);
    },

    /** Removes an endpoint: its secret is destroyed, its pending deliveries cancelled, its log kept. */
    async remove(id: string, ctx: CallContext): Promise<void> {
      await access.require(ctx, 'webhook:delete', registry);
      await uow.run(async (stores) => {
        const existing = await stores.webhooks.findEndpoint(id);
        if (!existing || existing.removedAt !== null) throw webhookNotFound(id);
        const at = clock.now().toISOString();
        if (!(await stores.webhooks.removeEndpoint(id, at, ctx.principal.id))) throw webhookNotFound(id);
        const cancelled = await stores.webhooks.cancelPending(id, at);
        await access.record(stores, ctx, {
          type: 'webhook.endpoint.removed',
          endpointId: id,
          url: redactUrl(existing.url),
          cancelled,
        });
      });
    },

    /**
     * Re-wraps under the current KEK every secret still wrapped by an older one (after `warden keys
     * rotate`), so the old KEK can be retired; start-up runs it. Returns how many moved, and the ids of
     * endpoints whose secret no longer opens (their KEK was retired first).
     */
    async rewrapSecrets(): Promise<{ rewrapped: number; failed: string[] }> {
      const current = keys.currentKekId();
      let rewrapped = 0;
      const failed: string[] = [];
      for (const endpoint of await read.webhooks.listEndpoints()) {
        const from = endpoint.secret;
        if (from === null || from.kekId === current) continue;
        let raw: Buffer;
        try {
          raw = await unwrapSecretBytes(keys, endpoint.id, from);
        } catch {
          failed.push(endpoint.id);
          continue;
        }
        const to = await wrapSecret(keys, endpoint.id, raw);
        raw.fill(0);
        if (await read.webhooks.replaceSecret(endpoint.id, from, to)) rewrapped++;
      }
      return { rewrapped, failed };
    },

    /** The delivery log, newest first: of one endpoint (removed ones too), or of all. */
    async deliveries(
      query: { endpointId?: string; limit: number; after?: string },
      ctx: CallContext,
    ): Promise<Page<DeliveryView>> {
      await access.require(ctx, 'webhook:deliveries', registry);
      if (query.endpointId !== undefined && !(await read.webhooks.findEndpoint(query.endpointId)))
        throw webhookNotFound(query.endpointId);
      const page = await read.webhooks.listDeliveries(query);
      const attempts = await read.webhooks.listAttempts(page.items.map((d) => d.id));
      return {
        items: page.items.map((d) =>
          deliveryView(
            d,
            attempts.filter((a) => a.deliveryId === d.id),
          ),
        ),
        next: page.next,
      };
    },
  };
}

/** `*` (every event, which takes in any other named), or known event types, each once, in the catalogue's order. */
function normalizeEvents(input: string[]): EventSelector[] {
  const given = input.flatMap((e) => e.split(',')).map((e) => e.trim());
  if (given.every((e) => e === '')) throw webhookEventsRequired();
  for (const e of given) if (e !== '' && e !== '*' && !isWebhookEventType(e)) throw webhookEventUnknown(e);
  if (given.includes('*')) return ['*'];
  return webhookEventTypes.filter((t) => given.includes(t));
}
