import { useId, useState } from 'react';
import { ProblemView } from '../app/problem-view';
import type { MonitorPolicyView } from './monitor-types';
import { type PolicyProblem, PolicyRefused } from './put-monitor-policy';
import { useSaveMonitorPolicy } from './use-save-monitor-policy';

/**
 * Edits the deployment's detector thresholds (`PUT …/monitor-policy`). The stored document is kept as it
 * is (its rules and the thresholds it sets) and only the fields changed here are laid over it, so fields
 * left alone keep following the defaults. The server checks every value and names each problem.
 */
export function PolicyForm(props: {
  env: string;
  model: string;
  view: MonitorPolicyView;
  onDone(warnings: PolicyProblem[]): void;
}) {
  const id = useId();
  const inForce = props.view.policy.thresholds;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(inForce).map(([k, v]) => [k, String(v)])),
  );
  const [reason, setReason] = useState('');
  const changed = Object.entries(values).filter(([k, v]) => String(inForce[k]) !== v.trim());
  const save = useSaveMonitorPolicy(props, reason);
  // The stored document as it is, with only the thresholds changed here laid over its own.
  const documentToSave = () => {
    const document = props.view.document as { thresholds?: Record<string, unknown> };
    const thresholds = {
      ...document.thresholds,
      ...Object.fromEntries(changed.map(([k, v]) => [k, Number(v)])),
    };
    return { ...document, thresholds };
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(documentToSave());
      }}
    >
      <div className="policy-form">
        {Object.keys(inForce).map((name) => (
          <div key={name}>
            <label htmlFor={`${id}-${name}`}>{name}</label>
            <input
              id={`${id}-${name}`}
              inputMode="decimal"
              value={values[name] ?? ''}
              onChange={(e) => setValues({ ...values, [name]: e.target.value })}
            />
          </div>
        ))}
      </div>
      <label htmlFor={`${id}-reason`}>Reason (optional)</label>
      <input id={`${id}-reason`} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      {save.isError && (
        <ProblemView
          error={save.error instanceof PolicyRefused ? save.error.apiError : save.error}
          title="The monitor policy was not changed"
        />
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || changed.length === 0}>
          {save.isPending ? 'Saving…' : 'Save thresholds'}
        </button>
        <button type="button" onClick={() => props.onDone([])}>
          Cancel
        </button>
      </div>
    </form>
  );
}
