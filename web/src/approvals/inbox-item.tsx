import { useId } from 'react';
import { Link } from 'react-router';
import { formatTime } from '../app/format';
import { usePermissions } from '../app/permissions';
import { ApprovalsTable } from '../deploy/approvals-table';
import type { DeployRequest } from '../deploy/deploy-types';
import { GatesTable } from '../deploy/gates-table';
import { RequestActions } from '../deploy/request-actions';
import { VersionDiff } from './version-diff';

/** One request waiting for the signed-in approver: what it asks, its gates, the diff against live, decide. */
export function InboxItem({ request: r }: { request: DeployRequest }) {
  const id = useId();
  const permissions = usePermissions(
    ['deploy:approve', 'deploy:reject'].map((action) => ({
      action,
      resource: { type: 'deploy-request' as const, id: r.id },
    })),
  );
  return (
    <article className="inbox-item" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>
        <Link to={`/deploy-requests/${r.id}`}>
          {r.model} v{r.version} → {r.environment}
        </Link>
      </h2>
      <dl className="facts">
        <dt>Requested by</dt>
        <dd title={r.requestedBy}>
          <bdi>{r.requestedByName}</bdi>, <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
        </dd>
        <dt>Reason</dt>
        <dd>{r.reason ?? <span className="muted">none given</span>}</dd>
        <dt>Slot</dt>
        <dd>
          {r.slot}
          {r.percent !== null && ` (${r.percent}%)`}
        </dd>
        <dt>Approvals</dt>
        <dd>
          {r.approvalsCounted} of {r.approvalsNeeded} counted
        </dd>
        <dt>Expires</dt>
        <dd>
          <time dateTime={r.expiresAt}>{formatTime(r.expiresAt)}</time>
        </dd>
      </dl>
      <RequestActions request={r} allowed={permissions.allowed} />
      <h3>Against what is live</h3>
      <VersionDiff request={r} headingId={id} />
      <h3>Gates</h3>
      <GatesTable gates={r.gates} caption={`Gates of ${r.model} v${r.version} for ${r.environment}`} />
      {r.approvals.length > 0 && (
        <>
          <h3>Decisions so far</h3>
          <ApprovalsTable request={r} />
        </>
      )}
    </article>
  );
}
