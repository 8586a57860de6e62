import { formatMetric } from './metric-value';
import type { VersionDetail } from './models-types';

/** Free-form facts pushed with the version: metrics, metadata (text) and training parameters (JSON). */
export function VersionRecords({ version: v }: { version: VersionDetail }) {
  const metrics = Object.entries(v.metrics).sort(([a], [b]) => a.localeCompare(b));
  const metadata = Object.entries(v.metadata).sort(([a], [b]) => a.localeCompare(b));
  const hasParams = Object.keys(v.params).length > 0;
  return (
    <section aria-labelledby="records-heading">
      <h2 id="records-heading">Metrics, metadata and parameters</h2>
      <h3>Metrics</h3>
      {metrics.length === 0 ? (
        <p className="empty">None recorded.</p>
      ) : (
        <dl className="facts">
          {metrics.map(([k, value]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd title={String(value)}>{formatMetric(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3>Metadata</h3>
      {metadata.length === 0 ? (
        <p className="empty">None recorded.</p>
      ) : (
        <dl className="facts">
          {metadata.map(([k, value]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="user-text">{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <h3>Parameters</h3>
      {hasParams ? (
        <pre className="json">{JSON.stringify(v.params, null, 2)}</pre>
      ) : (
        <p className="empty">None recorded.</p>
      )}
    </section>
  );
}
