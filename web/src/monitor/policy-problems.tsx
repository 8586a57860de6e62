import type { PolicyProblem } from './put-monitor-policy';

/** Problems or warnings of a policy document, each at its path in the document. */
export function PolicyProblems(props: { label: string; items: PolicyProblem[] }) {
  if (props.items.length === 0) return null;
  return (
    <ul aria-label={props.label} className="policy-problems">
      {props.items.map((p) => (
        <li key={`${p.path}:${p.message}`}>
          <code>{p.path || '(document)'}</code>: {p.message}
        </li>
      ))}
    </ul>
  );
}
