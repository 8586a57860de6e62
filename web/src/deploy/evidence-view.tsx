/**
 * A gate's evidence (any JSON the server stored) as nested definition lists; every value is a text node,
 * whatever it holds.
 */
export function EvidenceView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">none</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every((v) => typeof v !== 'object' || v === null)) return <>{value.map(String).join(', ')}</>;
    return (
      <ul className="evidence-list">
        {value.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: evidence items have no identity of their own
          <li key={i}>
            <EvidenceView value={item} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <span className="muted">none</span>;
    return (
      <dl className="evidence">
        {entries.map(([key, v]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>
              <EvidenceView value={v} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{String(value)}</>;
}
