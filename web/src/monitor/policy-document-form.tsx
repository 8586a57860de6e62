import { useId, useState } from 'react';
import { ProblemView } from '../app/problem-view';
import type { MonitorPolicyView } from './monitor-types';
import { PolicyProblems } from './policy-problems';
import { type PolicyProblem, PolicyRefused } from './put-monitor-policy';
import { useSaveMonitorPolicy } from './use-save-monitor-policy';

/** The document as it is parsed, or why it cannot be sent. */
function parse(text: string): { doc: Record<string, unknown> } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { error: `Not JSON: ${(err as Error).message}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return { error: 'The policy document must be a JSON object ({} for the defaults).' };
  return { doc: doc as Record<string, unknown> };
}

/**
 * Edits the whole stored policy document as JSON (thresholds, rules and the drift section: tests and
 * thresholds globally, per column kind and per column). The server checks it and names every problem at
 * its path; what it accepted with a warning (a column the live reference lacks) goes back to the section.
 */
export function PolicyDocumentForm(props: {
  env: string;
  model: string;
  view: MonitorPolicyView;
  onDone(warnings: PolicyProblem[]): void;
}) {
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(props.view.document, null, 2));
  const [reason, setReason] = useState('');
  const [notSent, setNotSent] = useState<string | null>(null);
  const save = useSaveMonitorPolicy(props, reason);
  const refused = save.error instanceof PolicyRefused ? save.error : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parse(text);
        if ('error' in parsed) return setNotSent(parsed.error);
        setNotSent(null);
        save.mutate(parsed.doc);
      }}
    >
      <p className="muted">
        Only the fields set here change the defaults. The <code>drift</code> section chooses tests and
        thresholds:{' '}
        <code>{'{"drift": {"columns": {"petal_length": {"test": "psi", "threshold": 0.25}}}}'}</code>; also{' '}
        <code>test</code>/<code>threshold</code> at its top level and under <code>numeric</code> or{' '}
        <code>categorical</code>.
      </p>
      <label htmlFor={`${id}-document`}>Policy document (JSON)</label>
      <textarea
        id={`${id}-document`}
        className="policy-document"
        rows={14}
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <label htmlFor={`${id}-reason`}>Reason (optional)</label>
      <input id={`${id}-reason`} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      {notSent && (
        <div role="alert" className="problem">
          <strong>The monitor policy was not sent</strong>
          <p>{notSent}</p>
        </div>
      )}
      {save.isError && (
        <ProblemView error={refused?.apiError ?? save.error} title="The monitor policy was not changed" />
      )}
      {refused && <PolicyProblems label="Problems in the policy document" items={refused.problems} />}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save policy'}
        </button>
        <button type="button" onClick={() => props.onDone([])}>
          Cancel
        </button>
      </div>
    </form>
  );
}
