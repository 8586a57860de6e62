import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';
import { formatTime } from '../app/format';
import { usePermissions } from '../app/permissions';
import { ProblemView } from '../app/problem-view';

/** The principals the extraction watch holds as suspect or throttled; shown only to those allowed. */
export function ExtractionAlerts({ env, model }: { env: string; model: string }) {
  const { allowed } = usePermissions([
    { action: 'gateway:alerts:read', resource: { type: 'guards', environment: env, model } },
  ]);
  const may = allowed('gateway:alerts:read');
  const alerts = useQuery({
    queryKey: ['serving', 'alerts', env, model],
    enabled: may,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/models/{name}/guards/alerts', {
          params: { path: { env, name: model } },
        }),
      ),
    refetchInterval: 10_000,
  });
  if (!may) return null;
  return (
    <>
      <h4>Extraction alerts</h4>
      {alerts.isPending && <p className="loading">Loading alerts…</p>}
      {alerts.isError && <ProblemView error={alerts.error} />}
      {alerts.data && alerts.data.items.length === 0 && <p className="muted">No principal under watch.</p>}
      {alerts.data && alerts.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Extraction alerts for {model}</caption>
            <thead>
              <tr>
                <th scope="col">Principal</th>
                <th scope="col">State</th>
                <th scope="col">Signals</th>
                <th scope="col">Since</th>
                <th scope="col">Last alert</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.items.map((a) => (
                <tr key={a.principal}>
                  <td className="mono">{a.principal}</td>
                  <td>
                    <span className={`badge ${a.state === 'throttled' ? 'bad' : 'warn'}`}>{a.state}</span>{' '}
                    stage {a.stage}
                    {a.rateFactor < 1 && <span className="muted"> · rate ×{a.rateFactor}</span>}
                    <div>{a.reason}</div>
                  </td>
                  <td>{a.signals.join(', ')}</td>
                  <td title={a.since}>{formatTime(a.since)}</td>
                  <td title={a.lastAlertAt}>{formatTime(a.lastAlertAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
