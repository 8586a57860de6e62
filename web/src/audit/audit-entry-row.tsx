import { Fragment } from 'react';
import type { paths } from '../api/schema';
import { formatTime } from '../app/format';

export type AuditEntry =
  paths['/api/v1/audit']['get']['responses'][200]['content']['application/json']['items'][number];

const outcomeClass = { success: 'ok', denied: 'bad', failed: 'warn' } as const;

/** One entry as a table row, and below it (when open) every field it carries. */
export function AuditEntryRow(props: { entry: AuditEntry; open: boolean; onToggle(): void }) {
  const e = props.entry;
  const detailsId = `audit-entry-${e.seq}`;
  return (
    <Fragment>
      <tr>
        <td>{e.seq}</td>
        <td title={e.at}>{formatTime(e.at)}</td>
        <td>
          {e.actorName ?? <span className="muted">—</span>}
          <div className="muted mono">{e.principal ?? 'unidentified'}</div>
        </td>
        <td className="mono">{e.action}</td>
        <td className="mono">{e.resource ?? '—'}</td>
        <td>
          <span className={`badge ${outcomeClass[e.outcome]}`}>{e.outcome}</span>
        </td>
        <td>
          <button type="button" aria-expanded={props.open} aria-controls={detailsId} onClick={props.onToggle}>
            Details<span className="visually-hidden"> of entry {e.seq}</span>
          </button>
        </td>
      </tr>
      {props.open && (
        <tr id={detailsId}>
          <td colSpan={7}>
            <dl className="facts">
              <dt>Entry id</dt>
              <dd className="mono">{e.id}</dd>
              <dt>Request id</dt>
              <dd className="mono">{e.requestId ?? '—'}</dd>
              <dt>Client address</dt>
              <dd className="mono">{e.clientAddress ?? '—'}</dd>
              {e.team !== undefined && (
                <>
                  <dt>Team</dt>
                  <dd>{e.team}</dd>
                </>
              )}
              {e.credential && (
                <>
                  <dt>Credential</dt>
                  <dd className="mono">
                    {e.credential.kind === 'token'
                      ? `token ${e.credential.tokenId}`
                      : `OIDC ${e.credential.issuer} · ${e.credential.subject}`}
                  </dd>
                </>
              )}
              {Object.entries(e.details ?? {}).map(([key, value]) => (
                <Fragment key={key}>
                  <dt>{key}</dt>
                  <dd className="mono">
                    {typeof value === 'object' ? JSON.stringify(value) : String(value)}
                  </dd>
                </Fragment>
              ))}
              <dt>Hash</dt>
              <dd className="mono">{e.hash}</dd>
              <dt>Previous hash</dt>
              <dd className="mono">{e.prevHash}</dd>
            </dl>
          </td>
        </tr>
      )}
    </Fragment>
  );
}
