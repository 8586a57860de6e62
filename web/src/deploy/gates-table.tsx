import type { DeployRequest } from './deploy-types';
import { EvidenceView } from './evidence-view';
import { VerdictBadge } from './status-badges';

/** Every gate's verdict, the policies that determined it, and the evidence it was decided on. */
export function GatesTable({ gates, caption }: { gates: DeployRequest['gates']; caption: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Gate</th>
            <th scope="col">Verdict</th>
            <th scope="col">Determining policies</th>
            <th scope="col">Evidence</th>
          </tr>
        </thead>
        <tbody>
          {gates.gates.map((g) => (
            <tr key={g.gate}>
              <th scope="row">{g.gate}</th>
              <td>
                <VerdictBadge passed={g.passed} />
              </td>
              <td>
                {g.policies.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  g.policies.map((p) => (
                    <code key={p} className="policy">
                      {p}
                    </code>
                  ))
                )}
              </td>
              <td>
                <EvidenceView value={g.evidence} />
                {g.errors.length > 0 && <p className="problem-text">Errors: {g.errors.join('; ')}</p>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The verdicts in one line, for tables of requests. */
export function GatesSummary({ gates }: { gates: DeployRequest['gates'] }) {
  return (
    <ul className="inline-list">
      {gates.gates.map((g) => (
        <li key={g.gate} title={g.policies.join(', ')}>
          {g.gate} <VerdictBadge passed={g.passed} />
          {g.policies.length > 0 && <span className="muted"> ({g.policies.join(', ')})</span>}
        </li>
      ))}
    </ul>
  );
}
