import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../app/api';
import { Pager, useCursorPager } from '../app/pager';
import { ProblemView } from '../app/problem-view';
import { useUrlFilters } from '../app/url-filters';
import { AuditEntryRow } from './audit-entry-row';
import { auditFilterKeys, toAuditQuery } from './audit-filters';
import { AuditFilterForm } from './audit-filters-form';
import { ChainStatus } from './chain-status';
import { ExportButton } from './export-button';
import './audit.css';

const PAGE = 50;

/** The audit log: filters in the URL, keyset pages from the server, chain verification and export. */
export function AuditPage() {
  const { filters, setFilters } = useUrlFilters(auditFilterKeys);
  const query = toAuditQuery(filters);
  const pager = useCursorPager(JSON.stringify(query));
  const [open, setOpen] = useState<number | null>(null);
  const queryClient = useQueryClient();
  const entries = useQuery({
    queryKey: ['audit', 'entries', query, pager.after ?? null],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: {
            query: { ...query, limit: PAGE, ...(pager.after ? { after: Number(pager.after) } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="audit">
      <h1>Audit log</h1>
      <div className="audit-top">
        <ChainStatus start={!entries.isPending} />
        <section className="card" aria-labelledby="audit-export-title">
          <h2 id="audit-export-title">Export</h2>
          <p className="muted">
            Every entry and checkpoint as JSON Lines, ending on a checkpoint signed now; verify it offline
            with <code>warden audit verify --file</code>.
          </p>
          <ExportButton onDone={() => void queryClient.invalidateQueries({ queryKey: ['audit'] })} />
        </section>
      </div>
      <h2>Entries</h2>
      <AuditFilterForm filters={filters} onApply={setFilters} />
      {entries.isPending && <p className="loading">Loading entries…</p>}
      {entries.isError && <ProblemView error={entries.error} />}
      {entries.data && entries.data.items.length === 0 && (
        <p className="muted">No entry matches these filters.</p>
      )}
      {entries.data && entries.data.items.length > 0 && (
        <div className="table-wrap" aria-busy={entries.isFetching}>
          <table>
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((entry) => (
                <AuditEntryRow
                  key={entry.seq}
                  entry={entry}
                  open={open === entry.seq}
                  onToggle={() => setOpen(open === entry.seq ? null : entry.seq)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.data && <Pager label="Audit entries" pager={pager} nextCursor={entries.data.next} />}
    </section>
  );
}
