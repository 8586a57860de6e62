import type { AlertRecord } from '../../modules/monitor/index.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson, printTable } from '../output.js';

export interface MonitorAlertOptions extends ClientOptions {
  model?: string;
  state?: string;
  limit?: string;
}

/** The environment's alerts as a table (or the API's page with --json). */
export async function monitorAlerts(
  ctx: CliContext,
  env: string,
  options: MonitorAlertOptions,
): Promise<void> {
  if (options.state !== undefined && options.state !== 'firing' && options.state !== 'resolved')
    throw badOptionValue('--state', `must be firing or resolved, not ${options.state}`);
  const limit = Number(options.limit ?? '50');
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw badOptionValue('--limit', 'must be an integer from 1 to 500');
  const query = new URLSearchParams({ limit: String(limit) });
  if (options.model !== undefined) query.set('model', options.model);
  if (options.state !== undefined) query.set('state', options.state);
  const page = await clientFor(ctx, options).json<{ items: AlertRecord[]; next: string | null }>(
    'GET',
    `/api/v1/environments/${seg(env)}/monitor/alerts?${query}`,
  );
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['FIRED', 'MODEL', 'VERSION', 'RULE', 'SEVERITY', 'STATE', 'VALUE', 'THRESHOLD', 'ROLLBACK'],
    page.items.map((a) => [
      a.firedAt,
      a.model,
      a.version,
      a.rule,
      a.severity,
      a.state === 'resolved' ? `resolved ${a.resolvedAt}` : 'firing',
      a.value,
      a.threshold,
      a.rollback ? `${a.rollback.action}${a.rollback.detail ? ` (${a.rollback.detail})` : ''}` : '',
    ]),
  );
}
