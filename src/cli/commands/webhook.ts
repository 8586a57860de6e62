import type { Page } from '../../modules/registry/index.js';
import type { CreatedEndpoint, DeliveryView, EndpointView } from '../../modules/webhooks/index.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson, printTable } from '../output.js';

export interface WebhookAddOptions extends ClientOptions {
  /** Comma-separated and/or repeated: event types, or `*`. */
  events: string[];
  description?: string;
}

/** Registers an endpoint; its signing secret goes to stdout this once (the notes to stderr). */
export async function webhookAdd(ctx: CliContext, url: string, options: WebhookAddOptions): Promise<void> {
  const events = options.events.flatMap((e) => e.split(',')).map((e) => e.trim());
  const created = await clientFor(ctx, options).json<CreatedEndpoint>('POST', '/api/v1/webhooks', {
    url,
    events,
    ...(options.description !== undefined ? { description: options.description } : {}),
  });
  if (options.json) return printJson(ctx.io, created);
  ctx.io.stderr.write(
    `Registered webhook ${created.id} for ${created.url} (events: ${created.events.join(', ')}).\n` +
      'Its signing secret follows; store it with the receiver now: it is shown only this once.\n',
  );
  ctx.io.stdout.write(`${created.secret}\n`);
}

export async function webhookList(ctx: CliContext, options: ClientOptions): Promise<void> {
  const endpoints = await clientFor(ctx, options).json<EndpointView[]>('GET', '/api/v1/webhooks');
  if (options.json) return printJson(ctx.io, endpoints);
  printTable(
    ctx.io,
    ['ID', 'URL', 'EVENTS', 'SECRET', 'CREATED', 'DESCRIPTION'],
    endpoints.map((e) => [
      e.id,
      e.url,
      e.events.join(','),
      e.secretHint,
      `${e.createdAt} by ${e.createdByName ?? e.createdBy}`,
      e.description,
    ]),
  );
}

export async function webhookRemove(ctx: CliContext, id: string, options: ClientOptions): Promise<void> {
  await clientFor(ctx, options).json('DELETE', `/api/v1/webhooks/${seg(id)}`);
  if (options.json) return printJson(ctx.io, { removed: id });
  ctx.io.stdout.write(
    `Removed webhook ${id}: its secret is destroyed and its pending deliveries cancelled\n`,
  );
}

export interface WebhookDeliveriesOptions extends ClientOptions {
  limit?: string;
}

/** The delivery log, newest first: of one endpoint, or of every endpoint. */
export async function webhookDeliveries(
  ctx: CliContext,
  id: string | undefined,
  options: WebhookDeliveriesOptions,
): Promise<void> {
  const limit = Number(options.limit ?? '50');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw badOptionValue('--limit', 'must be a whole number from 1 to 500');
  const path =
    id === undefined
      ? `/api/v1/webhooks/deliveries?limit=${limit}`
      : `/api/v1/webhooks/${seg(id)}/deliveries?limit=${limit}`;
  const page = await clientFor(ctx, options).json<Page<DeliveryView>>('GET', path);
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    [
      'DELIVERY',
      'ENDPOINT',
      'EVENT',
      'TYPE',
      'STATE',
      'ATTEMPTS',
      'STATUS',
      'ERROR',
      'NEXT ATTEMPT',
      'UPDATED',
    ],
    page.items.map((d) => [
      d.id,
      d.endpointId,
      d.eventId,
      d.eventType,
      d.state,
      d.attempts,
      d.lastStatus,
      d.lastError,
      d.nextAttemptAt,
      d.updatedAt,
    ]),
  );
}
