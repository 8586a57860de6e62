import { Link, useParams } from 'react-router';
import { CopyButton } from '../app/copy-button';
import { formatTime } from '../app/format';
import { usePermissions } from '../app/permissions';
import { ProblemView } from '../app/problem-view';
import { ApprovalsTable } from './approvals-table';
import { useDeployRequest } from './deploy-queries';
import { GatesTable } from './gates-table';
import { RequestActions } from './request-actions';
import { RequestStateBadge } from './status-badges';

const requestActions = ['deploy:approve', 'deploy:reject', 'deploy:apply', 'deploy:cancel'];

/** One deployment request: its state, gates with evidence, approvals, and what the caller may do with it. */
export function RequestPage() {
  const id = useParams().id ?? '';
  const request = useDeployRequest(id);
  const permissions = usePermissions(
    requestActions.map((action) => ({ action, resource: { type: 'deploy-request' as const, id } })),
  );
  if (request.isPending) return <p className="loading">Loading request…</p>;
  if (request.isError)
    return (
      <section>
        <h1>Deployment request</h1>
        <ProblemView error={request.error} />
      </section>
    );
  const r = request.data;
  return (
    <section>
      <p className="crumbs">
        <Link to="/deployments">Deployments</Link> ›{' '}
        <Link to={`/deployments/${r.environment}`}>{r.environment}</Link> ›{' '}
        <Link to={`/deployments/${r.environment}/${r.model}`}>{r.model}</Link> ›
      </p>
      <h1>
        {r.model} v{r.version} → {r.environment}
      </h1>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <RequestStateBadge state={r.state} />
          {r.closedReason && (
            <span className="muted">
              {' '}
              (<bdi>{r.closedReason}</bdi>)
            </span>
          )}
        </dd>
        <dt>Approvals</dt>
        <dd>
          {r.approvalsCounted} of {r.approvalsNeeded} counted
        </dd>
        <dt>Slot</dt>
        <dd>
          {r.slot}
          {r.percent !== null && ` (${r.percent}%)`}
        </dd>
        <dt>Digest</dt>
        <dd>
          <code>{r.digest}</code> <CopyButton value={r.digest} label="digest" />
        </dd>
        <dt>Requested by</dt>
        <dd title={r.requestedBy}>
          <bdi>{r.requestedByName}</bdi>, <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
        </dd>
        <dt>Reason</dt>
        <dd>{r.reason ?? <span className="muted">none given</span>}</dd>
        <dt>{r.closedAt ? 'Closed' : 'Expires'}</dt>
        <dd>
          <time dateTime={r.closedAt ?? r.expiresAt}>{formatTime(r.closedAt ?? r.expiresAt)}</time>
        </dd>
        <dt>Request id</dt>
        <dd>
          <code>{r.id}</code>
        </dd>
      </dl>
      <RequestActions request={r} allowed={permissions.allowed} />
      <h2>Gates</h2>
      <p className="muted">
        {r.gates.passed ? 'Every gate passed' : 'A gate failed'}; approvals are bound to result{' '}
        <code>{r.gates.hash.slice(0, 16)}</code>.
      </p>
      <GatesTable gates={r.gates} caption={`Gates of request ${r.id}`} />
      <h2>Approvals</h2>
      <ApprovalsTable request={r} />
    </section>
  );
}
