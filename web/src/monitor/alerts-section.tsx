import { Link } from 'react-router';
import { formatTime } from '../app/format';
import { Pager, useCursorPager } from '../app/pager';
import { QueryResultView } from '../app/query-result-view';
import { useAlerts } from './monitor-queries';
import type { MonitorAlert } from './monitor-types';
import { TableWrap } from './table-wrap';
import { formatNumber } from './verdict';

const rollbackText = {
  rolled_back: 'Rolled back',
  aborted: 'Canary aborted',
  cooldown: 'Held back (cool-down)',
  failed: 'Rollback failed',
} as const;

function RollbackCell({ alert }: { alert: MonitorAlert }) {
  const history = `/deployments/${encodeURIComponent(alert.environment)}/${encodeURIComponent(alert.model)}`;
  const r = alert.rollback;
  if (!r) return <>—</>;
  return (
    <>
      {rollbackText[r.action]} {formatTime(r.at)}
      {r.deployment && (
        <>
          {' '}
          (<Link to={history}>in the deployment history</Link>)
        </>
      )}
      {r.detail && (
        <span className="block muted">
          <bdi>{r.detail}</bdi>
        </span>
      )}
    </>
  );
}

/** The deployment's alerts, newest first: firing or resolved, severity, rule, value, and the rollback it caused. */
export function AlertsSection(props: { env: string; model: string }) {
  const pager = useCursorPager(`${props.env}/${props.model}`);
  const alerts = useAlerts(props.env, { model: props.model, ...(pager.after ? { after: pager.after } : {}) });
  return (
    <section aria-labelledby="alert-history">
      <h2 id="alert-history">Alert history</h2>
      <QueryResultView query={alerts} what="alerts">
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">No alert has fired for this deployment.</p>
          ) : (
            <>
              <TableWrap label="Alerts table">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">State</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Rule</th>
                      <th scope="col">Value (threshold)</th>
                      <th scope="col">Fired</th>
                      <th scope="col">Resolved</th>
                      <th scope="col">Version</th>
                      <th scope="col">Rollback</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((a) => (
                      <tr key={a.id}>
                        <td>{a.state === 'firing' ? <strong>Firing</strong> : 'Resolved'}</td>
                        <td>{a.severity}</td>
                        <td>
                          <bdi>{a.rule}</bdi>
                        </td>
                        <td>
                          {formatNumber(a.value)} ({formatNumber(a.threshold)})
                        </td>
                        <td>{formatTime(a.firedAt)}</td>
                        <td>{formatTime(a.resolvedAt)}</td>
                        <td>v{a.version}</td>
                        <td>
                          <RollbackCell alert={a} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <Pager pager={pager} nextCursor={page.next} label="Alerts" />
            </>
          )
        }
      </QueryResultView>
    </section>
  );
}
