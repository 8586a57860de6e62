import { formatTime } from '../app/format';
import { QueryResultView } from '../app/query-result-view';
import { ActorName } from './actor-name';
import { useAttestations } from './models-queries';
import { SeverityBadge } from './status-badge';

const levels = ['critical', 'high', 'medium', 'low'] as const;

/** Vulnerability reports attached to the version, each summarised as counts by severity. */
export function AttestationsSection({ name, number }: { name: string; number: number }) {
  const attestations = useAttestations(name, String(number));
  return (
    <section aria-labelledby="attestations-heading">
      <h2 id="attestations-heading">Attestations</h2>
      <QueryResultView query={attestations} what="attestations">
        {(list) =>
          list.length === 0 ? (
            <p className="empty">No vulnerability report attached.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Vulnerability reports</caption>
                <thead>
                  <tr>
                    <th scope="col">Report</th>
                    <th scope="col">Highest</th>
                    {levels.map((l) => (
                      <th scope="col" key={l}>
                        {l[0]?.toUpperCase()}
                        {l.slice(1)}
                      </th>
                    ))}
                    <th scope="col">Attached</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((a) => (
                    <tr key={a.id}>
                      <th scope="row">
                        {a.summary.tool} <span className="muted">({a.format})</span>
                        <br />
                        <span className="muted">{a.summary.findings} findings</span>
                      </th>
                      <td>
                        <SeverityBadge severity={a.summary.maxSeverity} />
                      </td>
                      {levels.map((l) => (
                        <td key={l} className="number">
                          {a.summary.counts[l]}
                        </td>
                      ))}
                      <td>
                        <time dateTime={a.createdAt}>{formatTime(a.createdAt)}</time> by{' '}
                        <ActorName id={a.createdBy} name={a.createdByName} />
                      </td>
                    </tr>
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
