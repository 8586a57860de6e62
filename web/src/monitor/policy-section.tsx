import { useState } from 'react';
import { formatTime } from '../app/format';
import { QueryResultView } from '../app/query-result-view';
import { DriftPolicyTable } from './drift-policy-table';
import type { useMonitorPolicy } from './monitor-queries';
import { PolicyDocumentForm } from './policy-document-form';
import { PolicyForm } from './policy-form';
import { PolicyProblems } from './policy-problems';
import type { PolicyProblem } from './put-monitor-policy';

/**
 * The monitor policy in force (thresholds, alert rules, drift tests; who set it), editable by those allowed:
 * the thresholds in a form, the whole document (drift section included) as JSON. The warnings of the last
 * save stay shown until the next edit.
 */
export function PolicySection(props: {
  env: string;
  model: string;
  policy: ReturnType<typeof useMonitorPolicy>;
  canConfigure: boolean;
}) {
  const [editing, setEditing] = useState<'thresholds' | 'document' | null>(null);
  const [warnings, setWarnings] = useState<PolicyProblem[]>([]);
  const done = (saved: PolicyProblem[]) => {
    setWarnings(saved);
    setEditing(null);
  };
  const edit = (what: 'thresholds' | 'document') => {
    setWarnings([]);
    setEditing(what);
  };
  return (
    <section aria-labelledby="monitor-policy">
      <h2 id="monitor-policy">Monitor policy</h2>
      <QueryResultView query={props.policy} what="monitor policy">
        {(view) =>
          editing === 'thresholds' ? (
            <PolicyForm env={props.env} model={props.model} view={view} onDone={done} />
          ) : editing === 'document' ? (
            <PolicyDocumentForm env={props.env} model={props.model} view={view} onDone={done} />
          ) : (
            <>
              {warnings.length > 0 && (
                <div role="status" className="notice">
                  <strong>Saved, with warnings</strong>
                  <PolicyProblems label="Warnings about the policy saved" items={warnings} />
                </div>
              )}
              <p className="muted">
                {view.revision === 0 ? (
                  'The defaults: no policy was ever set.'
                ) : (
                  <>
                    Revision {view.revision}, set by <bdi>{view.setByName ?? view.setBy ?? '—'}</bdi> on{' '}
                    {formatTime(view.setAt)}
                    {view.reason && (
                      <>
                        {' '}
                        (<bdi>{view.reason}</bdi>)
                      </>
                    )}
                  </>
                )}
              </p>
              <div className="table-wrap">
                <table>
                  <caption>Detector thresholds in force</caption>
                  <thead>
                    <tr>
                      <th scope="col">Threshold</th>
                      <th scope="col">Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(view.policy.thresholds).map(([name, value]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td>{value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="table-wrap">
                <table>
                  <caption>Alert rules</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Enabled</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Fires after (windows)</th>
                      <th scope="col">Resolves after (windows)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {Object.entries(view.policy.rules).map(([name, r]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td>{r.enabled ? 'Yes' : 'No'}</td>
                        <td>{r.severity}</td>
                        <td>{r.forWindows}</td>
                        <td>{r.resolveAfter}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <DriftPolicyTable drift={view.policy.drift} />
              {props.canConfigure && (
                <div className="actions">
                  <button type="button" onClick={() => edit('thresholds')}>
                    Edit thresholds
                  </button>
                  <button type="button" onClick={() => edit('document')}>
                    Edit policy (JSON)
                  </button>
                </div>
              )}
            </>
          )
        }
      </QueryResultView>
    </section>
  );
}
