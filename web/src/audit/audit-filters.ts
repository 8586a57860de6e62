import type { paths } from '../api/schema';

export type AuditListQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export type AuditOutcome = NonNullable<AuditListQuery['outcome']>;

/** The query-string keys of the audit page's filters. */
export const auditFilterKeys = ['principal', 'action', 'resource', 'outcome', 'since', 'until'] as const;
export type AuditFilters = Partial<Record<(typeof auditFilterKeys)[number], string>>;

export const auditOutcomes = ['success', 'denied', 'failed'] as const satisfies readonly AuditOutcome[];

/**
 * The API query for the page's filters. Times in the URL are the `datetime-local` value (the reader's
 * local time), sent as UTC; a value that is not a time is left out rather than failing the page.
 */
export function toAuditQuery(filters: AuditFilters): AuditListQuery {
  const query: AuditListQuery = {};
  if (filters.principal) query.principal = filters.principal;
  if (filters.action) query.action = filters.action;
  if (filters.resource) query.resource = filters.resource;
  const outcome = auditOutcomes.find((o) => o === filters.outcome);
  if (outcome) query.outcome = outcome;
  const since = isoOf(filters.since);
  if (since) query.since = since;
  const until = isoOf(filters.until);
  if (until) query.until = until;
  return query;
}

function isoOf(local: string | undefined): string | null {
  if (!local) return null;
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
