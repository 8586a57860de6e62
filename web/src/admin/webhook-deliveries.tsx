import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { api, unwrap } from '../app/api';
import { formatTime } from '../app/format';
import { Pager, useCursorPager } from '../app/pager';
import { ProblemView } from '../app/problem-view';
import { adminKeys } from './admin-keys';

const PAGE = 25;

/** The delivery log, newest first, each delivery expandable to its attempts. */
export function WebhookDeliveries({ endpoint }: { endpoint?: string }) {
  const pager = useCursorPager(endpoint ?? '');
  const [open, setOpen] = useState<string | null>(null);
  const deliveries = useQuery({
    queryKey: [...adminKeys.deliveries, endpoint ?? null, pager.after ?? null],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/webhooks/deliveries', {
          params: {
            query: {
              limit: PAGE,
              ...(endpoint ? { endpoint } : {}),
              ...(pager.after ? { after: pager.after } : {}),
            },
          },
        }),
      ),
    refetchInterval: 10_000,
  });
  if (deliveries.isPending) return <p className="loading">Loading deliveries…</p>;
  if (deliveries.isError) return <ProblemView error={deliveries.error} />;
  const items = deliveries.data.items;
  return (
    <>
      {items.length === 0 ? (
        <p className="muted">No delivery yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Webhook deliveries</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <Fragment key={d.id}>
                  <tr>
                    <td>
                      {d.eventType}
                      <div className="muted mono">{d.eventId}</div>
                    </td>
                    <td>
                      <span className={`badge ${stateClass(d.state)}`}>{d.state}</span>
                    </td>
                    <td>{d.attempts}</td>
                    <td>
                      {d.lastStatus !== null ? `HTTP ${d.lastStatus}` : (d.lastError ?? '—')}
                      {d.lastDurationMs !== null && <span className="muted"> · {d.lastDurationMs} ms</span>}
                    </td>
                    <td title={d.createdAt}>{formatTime(d.createdAt)}</td>
                    <td>
                      <button
                        type="button"
                        aria-expanded={open === d.id}
                        aria-controls={`attempts-${d.id}`}
                        onClick={() => setOpen(open === d.id ? null : d.id)}
                      >
                        Attempts
                      </button>
                    </td>
                  </tr>
                  {open === d.id && (
                    <tr id={`attempts-${d.id}`}>
                      <td colSpan={6}>
                        {d.nextAttemptAt && <p>Next attempt {formatTime(d.nextAttemptAt)}</p>}
                        {d.history.length === 0 ? (
                          <p className="muted">Not attempted yet.</p>
                        ) : (
                          <table>
                            <caption className="visually-hidden">Attempts</caption>
                            <thead>
                              <tr>
                                <th scope="col">#</th>
                                <th scope="col">At</th>
                                <th scope="col">Answer</th>
                                <th scope="col">Took</th>
                              </tr>
                            </thead>
                            <tbody>
                              {d.history.map((a) => (
                                <tr key={a.attempt}>
                                  <td>{a.attempt}</td>
                                  <td title={a.at}>{formatTime(a.at)}</td>
                                  <td>{a.status !== null ? `HTTP ${a.status}` : (a.error ?? '—')}</td>
                                  <td>{a.durationMs} ms</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        )}
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Deliveries" pager={pager} nextCursor={deliveries.data.next} />
    </>
  );
}

function stateClass(state: string): string {
  if (state === 'delivered') return 'ok';
  if (state === 'failed' || state === 'cancelled') return 'bad';
  return 'warn';
}
