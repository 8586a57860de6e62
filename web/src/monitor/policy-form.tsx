import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ProblemView } from '../app/problem-view';
import { useRefreshMonitor } from './monitor-queries';
import type { MonitorPolicyView } from './monitor-types';
import { type PolicyProblem, PolicyRefused, putMonitorPolicy } from './put-monitor-policy';

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
  const refresh = useRefreshMonitor();
  const inForce = props.view.policy.thresholds;
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(inForce).map(([k, v]) => [k, String(v)])),
  );
  const [reason, setReason] = useState('');
  const changed = Object.entries(values).filter(([k, v]) => String(inForce[k]) !== v.trim());
  const save = useMutation({
    mutationFn: () => {
      const document = props.view.document as { thresholds?: Record<string, unknown> };
      const thresholds = {
        ...document.thresholds,
        ...Object.fromEntries(changed.map(([k, v]) => [k, Number(v)])),
      };
      return putMonitorPolicy(props.env, props.model, { ...document, thresholds }, reason);
    },
    onSuccess: async (view) => {
      await refresh();
      props.onDone(view.warnings);
    },
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
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
