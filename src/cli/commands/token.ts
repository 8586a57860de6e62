import type { IssuedToken, TokenView } from '../../modules/identity/index.js';
import { seg } from '../api-client.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson, printTable } from '../output.js';

export interface TokenCreateOptions extends ClientOptions {
  name: string;
  role: string[];
  team?: string[];
  expires?: string;
}

/** Issues a token; its secret goes to stdout this once (the notes to stderr, so a pipe gets only the token). */
export async function tokenCreate(ctx: CliContext, options: TokenCreateOptions): Promise<void> {
  const issued = await clientFor(ctx, options).json<IssuedToken>('POST', '/api/v1/tokens', {
    name: options.name,
    roles: options.role,
    ...(options.team?.length ? { teams: options.team } : {}),
    ...(options.expires !== undefined ? { expires: options.expires } : {}),
  });
  if (options.json) return printJson(ctx.io, issued);
  ctx.io.stderr.write(
    `Created token ${issued.id} for ${issued.principal} (roles: ${issued.roles.join(', ')}` +
      `${issued.teams.length ? `; teams: ${issued.teams.join(', ')}` : ''}; expires ${issued.expiresAt ?? 'never'}).\n` +
      'Store it now, in a secret store: it is shown only this once.\n',
  );
  ctx.io.stdout.write(`${issued.token}\n`);
}

export async function tokenList(ctx: CliContext, options: ClientOptions): Promise<void> {
  const tokens = await clientFor(ctx, options).json<TokenView[]>('GET', '/api/v1/tokens');
  if (options.json) return printJson(ctx.io, tokens);
  printTable(
    ctx.io,
    ['ID', 'NAME', 'PRINCIPAL', 'ROLES', 'TEAMS', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED'],
    tokens.map((t) => [
      t.id,
      t.name,
      t.principal,
      t.roles.join(','),
      t.teams.join(','),
      t.createdAt,
      t.expiresAt ?? 'never',
      t.lastUsedAt,
      t.revokedAt,
    ]),
  );
}

export async function tokenRevoke(ctx: CliContext, id: string, options: ClientOptions): Promise<void> {
  await clientFor(ctx, options).json('DELETE', `/api/v1/tokens/${seg(id)}`);
  if (options.json) return printJson(ctx.io, { revoked: id });
  ctx.io.stdout.write(`Revoked token ${id}\n`);
}
