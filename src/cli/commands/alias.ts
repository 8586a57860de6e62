import type { AliasEventView, AliasView, Page } from '../../modules/registry/index.js';
import { actorLabel } from '../actor-label.js';
import { seg } from '../api-client.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson, printTable, shortDigest } from '../output.js';

const base = (model: string) => `/api/v1/models/${seg(model)}/aliases`;

export async function aliasSet(
  ctx: CliContext,
  model: string,
  alias: string,
  ref: string,
  options: ClientOptions & { reason?: string },
): Promise<void> {
  const result = await clientFor(ctx, options).json<{
    changed: boolean;
    alias: AliasView;
    previous: number | null;
  }>('PUT', `${base(model)}/${seg(alias)}`, {
    version: /^\d+$/.test(ref) ? Number(ref) : ref,
    ...(options.reason ? { reason: options.reason } : {}),
  });
  if (options.json) return printJson(ctx.io, result);
  const { alias: a, previous, changed } = result;
  ctx.io.stdout.write(
    changed
      ? `${model}@${a.name} → version ${a.version} (${shortDigest(a.digest)})${previous ? `, was ${previous}` : ''}\n`
      : `${model}@${a.name} already points at version ${a.version}; nothing changed\n`,
  );
}

export async function aliasList(ctx: CliContext, model: string, options: ClientOptions): Promise<void> {
  const aliases = await clientFor(ctx, options).json<AliasView[]>('GET', base(model));
  if (options.json) return printJson(ctx.io, aliases);
  printTable(
    ctx.io,
    ['ALIAS', 'VERSION', 'DIGEST', 'UPDATED', 'BY'],
    aliases.map((a) => [
      a.name,
      a.version,
      shortDigest(a.digest),
      a.updatedAt,
      actorLabel(a.updatedBy, a.updatedByName),
    ]),
  );
}

export async function aliasHistory(
  ctx: CliContext,
  model: string,
  alias: string,
  options: ClientOptions & { limit?: string },
): Promise<void> {
  const page = await clientFor(ctx, options).json<Page<AliasEventView>>(
    'GET',
    `${base(model)}/${seg(alias)}/history?limit=${encodeURIComponent(options.limit ?? '100')}`,
  );
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['WHEN', 'FROM', 'TO', 'BY', 'REASON'],
    page.items.map((e) => [e.at, e.from, e.to ?? '(removed)', actorLabel(e.actor, e.actorName), e.reason]),
  );
}

export async function aliasRemove(
  ctx: CliContext,
  model: string,
  alias: string,
  options: ClientOptions & { reason?: string },
): Promise<void> {
  const query = options.reason ? `?reason=${encodeURIComponent(options.reason)}` : '';
  await clientFor(ctx, options).json('DELETE', `${base(model)}/${seg(alias)}${query}`);
  if (options.json) return printJson(ctx.io, { removed: alias });
  ctx.io.stdout.write(`Removed ${model}@${alias}\n`);
}
