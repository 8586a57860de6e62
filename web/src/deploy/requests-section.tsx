import { Fragment, useId, useState } from 'react';
import { Link } from 'react-router';
import { formatTime } from '../app/format';
import { Pager, useCursorPager } from '../app/pager';
import { ProblemView } from '../app/problem-view';
import { useRequests } from './deploy-queries';
import { type RequestState, requestStates } from './deploy-types';
import { GatesSummary } from './gates-table';
import { RequestStateBadge } from './status-badges';

/**
 * An environment's requests (or one model's), newest first: state, every gate's verdict and its policies,
 * approvals counted, who asked and why; filtered by model and state, paged by cursor.
 */
export function RequestsSection({ env, model }: { env: string; model?: string }) {
  const ids = { model: useId(), state: useId() };
  const [draft, setDraft] = useState('');
  const [modelFilter, setModelFilter] = useState('');
  const [state, setState] = useState<RequestState | ''>('');
  const filter = {
    ...(model ? { model } : modelFilter.trim() ? { model: modelFilter.trim() } : {}),
    ...(state ? { state } : {}),
  };
  const pager = useCursorPager(`${env}|${JSON.stringify(filter)}`);
  const requests = useRequests(env, { ...filter, ...(pager.after ? { after: pager.after } : {}) });

  return (
    <section aria-labelledby={`${ids.state}-h`}>
      <h2 id={`${ids.state}-h`}>Requests</h2>
      <form
        className="row filters"
        onSubmit={(e) => {
          e.preventDefault();
          setModelFilter(draft);
        }}
      >
        {!model && (
          <div>
            <label htmlFor={ids.model}>Model</label>
            <input
              id={ids.model}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              placeholder="any"
              spellCheck={false}
            />
          </div>
        )}
        <div>
          <label htmlFor={ids.state}>State</label>
          <select
            id={ids.state}
            value={state}
            onChange={(e) => setState(e.target.value as RequestState | '')}
          >
            <option value="">any</option>
            {requestStates.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        {!model && <button type="submit">Filter</button>}
      </form>
      {requests.isPending && <p className="loading">Loading requests…</p>}
      {requests.isError && <ProblemView error={requests.error} />}
      {requests.data && requests.data.items.length === 0 && (
        <p className="muted">No requests{state ? ` in state ${state}` : ''}.</p>
      )}
      {requests.data && requests.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Deployment requests in {env}</caption>
            <thead>
              <tr>
                <th scope="col">Request</th>
                {!model && <th scope="col">Model</th>}
                <th scope="col">Version</th>
                <th scope="col">Slot</th>
                <th scope="col">State</th>
                <th scope="col">Gates</th>
                <th scope="col">Approvals</th>
                <th scope="col">Requested</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/deploy-requests/${r.id}`} title={r.id}>
                      <span className="visually-hidden">Request </span>
                      <code>{r.id.slice(-8)}</code>
                    </Link>
                  </td>
                  {!model && (
                    <td>
                      <Link to={`/deployments/${env}/${r.model}`}>{r.model}</Link>
                    </td>
                  )}
                  <td>v{r.version}</td>
                  <td>
                    {r.slot}
                    {r.percent !== null && ` ${r.percent}%`}
                  </td>
                  <td>
                    <RequestStateBadge state={r.state} />
                  </td>
                  <td>
                    <GatesSummary gates={r.gates} />
                  </td>
                  <td>
                    {r.approvalsCounted} of {r.approvalsNeeded}
                    {r.approvals.length > 0 && (
                      <span className="muted">
                        {' '}
                        (
                        {r.approvals.map((a, i) => (
                          <Fragment key={`${a.approver}-${a.at}`}>
                            {i > 0 && ', '}
                            <bdi>{a.approverName}</bdi> {a.decision === 'approve' ? 'approved' : 'rejected'}
                          </Fragment>
                        ))}
                        )
                      </span>
                    )}
                  </td>
                  <td>
                    <bdi>{r.requestedByName}</bdi>,{' '}
                    <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
                    {r.reason && <div className="muted">{r.reason}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Requests" pager={pager} nextCursor={requests.data?.next} />
    </section>
  );
}
