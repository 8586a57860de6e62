import { useQuery } from '@tanstack/react-query';
import { shortDigest } from '../app/format';
import { ProblemView } from '../app/problem-view';
import { LatencyChart } from './latency-chart';
import { RequestsChart } from './requests-chart';
import { fetchModelStats, type MinuteStats } from './serving-stats';

const HOUR = 60 * 60_000;

/** A model's last hour: request rate, latency percentiles and guard refusals, refreshed every 10 s. */
export function TrafficPanel({ env, model }: { env: string; model: string }) {
  const stats = useQuery({
    queryKey: ['serving', 'stats', env, model],
    queryFn: () => fetchModelStats(env, model),
    refetchInterval: 10_000,
  });
  if (stats.isPending) return <p className="loading">Loading traffic…</p>;
  if (stats.isError) return <ProblemView error={stats.error} title="Traffic could not be read" />;
  if (!stats.data || stats.data.minutes.length === 0)
    return <p className="muted">No traffic data for the last hour.</p>;
  const { minutes, totals } = stats.data;
  const to = Math.max(Date.now(), (minutes[minutes.length - 1]?.at ?? 0) + 60_000);
  const from = to - HOUR;
  const latest = [...minutes].reverse().find((m) => m.latencyMs.p50 !== null);
  const refusals = Object.entries(totals.refusals).sort((a, b) => b[1] - a[1]);
  return (
    <div className="traffic">
      <p>
        {totals.requests} requests in the last hour ({(totals.requests / 60).toFixed(1)}/min):{' '}
        {totals.status['2xx']} 2xx, {totals.status['4xx']} 4xx, {totals.status['5xx']} 5xx.
        {latest && (
          <>
            {' '}
            Latest latency p50 {latest.latencyMs.p50} ms, p90 {latest.latencyMs.p90 ?? '—'} ms, p99{' '}
            {latest.latencyMs.p99 ?? '—'} ms.
          </>
        )}
      </p>
      <div className="charts">
        <RequestsChart
          minutes={minutes}
          from={from}
          to={to}
          label={`Requests per minute for ${model} over the last hour, by status class`}
        />
        <LatencyChart
          minutes={minutes}
          from={from}
          to={to}
          label={`Latency p50, p90 and p99 in milliseconds for ${model} over the last hour`}
        />
      </div>
      {stats.data.digests.length > 0 && (
        <ul className="digests">
          {stats.data.digests.map((d) => (
            <li key={d.digest ?? 'none'}>
              {d.digest ? (
                <code title={d.digest}>{shortDigest(d.digest)}</code>
              ) : (
                'refused before a version was chosen'
              )}
              : {d.requests} requests
            </li>
          ))}
        </ul>
      )}
      <h4>Guard refusals</h4>
      {refusals.length === 0 ? (
        <p className="muted">No refusal in the last hour.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Guard refusals by reason, last hour</caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Refusals</th>
            </tr>
          </thead>
          <tbody>
            {refusals.map(([reason, n]) => (
              <tr key={reason}>
                <td className="mono">{reason}</td>
                <td>{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>Per-minute figures</summary>
        <MinuteTable minutes={minutes} />
      </details>
    </div>
  );
}

function MinuteTable({ minutes }: { minutes: MinuteStats[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Requests and latency per minute</caption>
        <thead>
          <tr>
            <th scope="col">Minute</th>
            <th scope="col">Requests</th>
            <th scope="col">2xx / 4xx / 5xx</th>
            <th scope="col">p50 / p90 / p99 (ms)</th>
          </tr>
        </thead>
        <tbody>
          {minutes.map((m) => (
            <tr key={m.at}>
              <td>{new Date(m.at).toLocaleTimeString()}</td>
              <td>{m.requests}</td>
              <td>
                {m.status['2xx']} / {m.status['4xx']} / {m.status['5xx']}
              </td>
              <td>
                {m.latencyMs.p50 ?? '—'} / {m.latencyMs.p90 ?? '—'} / {m.latencyMs.p99 ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
