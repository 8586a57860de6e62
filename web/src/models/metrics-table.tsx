import { formatMetric } from './metric-value';

export interface VersionMetrics {
  number: number;
  metrics: Record<string, number>;
}

/** Rows are metric names, columns versions (oldest to newest); a blank cell is a metric not recorded. */
export function MetricsTable({ names, versions }: { names: string[]; versions: VersionMetrics[] }) {
  return (
    <div className="table-wrap">
      <table className="numbers">
        <caption className="visually-hidden">Metrics by version</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {versions.map((v) => (
              <th scope="col" key={v.number}>
                v{v.number}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((name) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              {versions.map((v) => (
                <td
                  key={v.number}
                  title={v.metrics[name] === undefined ? 'not recorded' : String(v.metrics[name])}
                >
                  {formatMetric(v.metrics[name])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
