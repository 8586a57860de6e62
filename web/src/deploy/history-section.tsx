import { Link } from 'react-router';
import { formatTime, shortDigest } from '../app/format';
import { Pager, useCursorPager } from '../app/pager';
import { ProblemView } from '../app/problem-view';
import { useHistory } from './deploy-queries';

/** Every change of a target, newest first: what, which version, who and why, the request behind it. */
export function HistorySection({ env, model }: { env: string; model: string }) {
  const pager = useCursorPager(`${env}/${model}`);
  const history = useHistory(env, model, pager.after);
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {history.isPending && <p className="loading">Loading history…</p>}
      {history.isError && <ProblemView error={history.error} />}
      {history.data?.items.length === 0 && <p className="muted">Never deployed in {env}.</p>}
      {history.data && history.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              Deployment history of {model} in {env}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Version</th>
                <th scope="col">By</th>
                <th scope="col">Approved by</th>
                <th scope="col">Reason</th>
                <th scope="col">Request</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <time dateTime={d.at}>{formatTime(d.at)}</time>
                  </td>
                  <td>
                    {d.action} ({d.slot}
                    {d.percent !== null && ` ${d.percent}%`})
                    {d.rolledBack && (
                      <>
                        {' '}
                        <span className="badge bad">rolled back</span>
                      </>
                    )}
                  </td>
                  <td>
                    v{d.version} <code title={d.digest}>{shortDigest(d.digest)}</code>
                  </td>
                  <td title={d.actor}>{d.actorName}</td>
                  <td>{d.approvedBy.map((a) => a.name).join(', ') || <span className="muted">—</span>}</td>
                  <td>{d.reason ?? <span className="muted">—</span>}</td>
                  <td>
                    {d.request ? (
                      <Link to={`/deploy-requests/${d.request}`} title={d.request}>
                        <span className="visually-hidden">Request </span>
                        <code>{d.request.slice(-8)}</code>
                      </Link>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="History" pager={pager} nextCursor={history.data?.next} />
    </section>
  );
}
