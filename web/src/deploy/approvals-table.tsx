import { formatTime } from '../app/format';
import type { DeployRequest } from './deploy-types';

/** Who approved or rejected, when, why, and whether it counts now (and why not). */
export function ApprovalsTable({ request }: { request: DeployRequest }) {
  if (request.approvals.length === 0) return <p className="muted">No approvals or rejections yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Approvals of request {request.id}</caption>
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">Decision</th>
            <th scope="col">When</th>
            <th scope="col">Reason</th>
            <th scope="col">Counts</th>
          </tr>
        </thead>
        <tbody>
          {request.approvals.map((a) => (
            <tr key={`${a.approver}-${a.at}`}>
              <td title={a.approver}>{a.approverName}</td>
              <td>
                <span className={`badge ${a.decision === 'approve' ? 'ok' : 'bad'}`}>
                  {a.decision === 'approve' ? 'approved' : 'rejected'}
                </span>
              </td>
              <td>
                <time dateTime={a.at}>{formatTime(a.at)}</time>
              </td>
              <td>{a.reason}</td>
              <td>{a.counts ? 'yes' : `no${a.ignored ? `: ${a.ignored}` : ''}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
