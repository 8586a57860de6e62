import { Link } from 'react-router';
import { QueryResultView } from '../app/query-result-view';
import { useEnvironments } from '../deploy/deploy-queries';
import { useLiveSnapshot } from '../deploy/use-live';
import { useAlerts, useMonitorStatus } from './monitor-queries';
import { monitorPath } from './monitor-types';
import { DriftVerdict } from './verdict';

/** `/monitoring`: every environment's live deployments, each with its latest window's verdict and firing alerts. */
export function MonitoringPage() {
  const environments = useEnvironments();
  return (
    <section className="monitoring">
      <h1>Monitoring</h1>
      <QueryResultView query={environments} what="environments">
        {(data) =>
          data.length === 0 ? (
            <p className="muted">No environment is configured.</p>
          ) : (
            data.map((e) => <EnvironmentDeployments key={e.name} env={e.name} />)
          )
        }
      </QueryResultView>
    </section>
  );
}

function EnvironmentDeployments({ env }: { env: string }) {
  const live = useLiveSnapshot(env);
  return (
    <section aria-labelledby={`monitor-env-${env}`}>
      <h2 id={`monitor-env-${env}`}>{env}</h2>
      <QueryResultView query={live} what={`deployments of ${env}`}>
        {(data) =>
          data.models.length === 0 ? (
            <p>Nothing is deployed in {env}.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Stable</th>
                    <th scope="col">Latest window</th>
                    <th scope="col">Firing alerts</th>
                  </tr>
                </thead>
                <tbody>
                  {data.models.map((m) => (
                    <DeploymentRow
                      key={m.model}
                      env={env}
                      model={m.model}
                      stable={m.stable?.version ?? null}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryResultView>
    </section>
  );
}

function DeploymentRow(props: { env: string; model: string; stable: number | null }) {
  const status = useMonitorStatus(props.env, props.model);
  const firing = useAlerts(props.env, { model: props.model, state: 'firing', limit: 50 });
  const count = firing.data?.items.length;
  return (
    <tr>
      <th scope="row">
        <Link to={monitorPath(props.env, props.model)}>{props.model}</Link>
      </th>
      <td>{props.stable === null ? '—' : `v${props.stable}`}</td>
      <td>
        {status.isError ? (
          <span className="verdict none">Not available</span>
        ) : status.data ? (
          <DriftVerdict window={status.data.lastClosed} />
        ) : (
          '…'
        )}
      </td>
      <td>
        {firing.isError ? (
          '—'
        ) : count === undefined ? (
          '…'
        ) : count === 0 ? (
          'None'
        ) : (
          <strong>{`${count}${firing.data?.next ? '+' : ''} firing`}</strong>
        )}
      </td>
    </tr>
  );
}
