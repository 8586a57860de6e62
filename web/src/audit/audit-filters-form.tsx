import { type FormEvent, useEffect, useState } from 'react';
import { type AuditFilters, auditOutcomes } from './audit-filters';

const fields = [
  { key: 'principal', label: 'Who (principal)', placeholder: 'token:… or oidc:…' },
  { key: 'action', label: 'Action', placeholder: 'identity:token:create' },
  { key: 'resource', label: 'Resource', placeholder: 'model:iris' },
] as const;

/** The filter form: edits a draft, applies it to the URL on submit. */
export function AuditFilterForm(props: { filters: AuditFilters; onApply(filters: AuditFilters): void }) {
  const [draft, setDraft] = useState<AuditFilters>(props.filters);
  // The URL is the source of truth: back/forward and links replace the draft.
  useEffect(() => setDraft(props.filters), [props.filters]);
  const set = (key: keyof AuditFilters, value: string) => setDraft({ ...draft, [key]: value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply(draft);
  };
  return (
    <form className="audit-filters" onSubmit={submit} aria-label="Audit filters">
      <div className="row">
        {fields.map((f) => (
          <div key={f.key}>
            <label htmlFor={`audit-${f.key}`}>{f.label}</label>
            <input
              id={`audit-${f.key}`}
              maxLength={500}
              placeholder={f.placeholder}
              value={draft[f.key] ?? ''}
              onChange={(e) => set(f.key, e.target.value)}
            />
          </div>
        ))}
        <div>
          <label htmlFor="audit-outcome">Outcome</label>
          <select
            id="audit-outcome"
            value={draft.outcome ?? ''}
            onChange={(e) => set('outcome', e.target.value)}
          >
            <option value="">Any</option>
            {auditOutcomes.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-since">From</label>
          <input
            id="audit-since"
            type="datetime-local"
            value={draft.since ?? ''}
            onChange={(e) => set('since', e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="audit-until">Until</label>
          <input
            id="audit-until"
            type="datetime-local"
            value={draft.until ?? ''}
            onChange={(e) => set('until', e.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={() => props.onApply({})}>
            Clear
          </button>
        </div>
      </div>
    </form>
  );
}
