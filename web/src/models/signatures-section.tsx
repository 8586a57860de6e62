import { formatTime } from '../app/format';
import type { Version } from './models-types';
import { StatusBadge } from './status-badge';

const tones = { verified: 'ok', failed: 'bad', revoked: 'warn' } as const;

/** Signatures re-checked as they are shown: signer, verified / failed / revoked, and what they vouch for. */
export function SignaturesSection(props: { signatures: Version['signatures']; signedFor: string[] }) {
  return (
    <section aria-labelledby="signatures-heading">
      <h2 id="signatures-heading">Signatures</h2>
      {props.signatures.length === 0 ? (
        <p className="empty">Not signed.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Signatures</caption>
            <thead>
              <tr>
                <th scope="col">Signer</th>
                <th scope="col">Status</th>
                <th scope="col">Environments it vouches for</th>
                <th scope="col">Attached</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {props.signatures.map((s) => (
                <tr key={`${s.signer}-${s.attachedAt}`}>
                  <th scope="row">{s.signer}</th>
                  <td>
                    <StatusBadge text={s.status} tone={tones[s.status]} />
                  </td>
                  <td>
                    {s.status === 'verified'
                      ? s.environments.join(', ') || 'none'
                      : `none (signer may sign for ${s.environments.join(', ') || 'none'})`}
                  </td>
                  <td>
                    <time dateTime={s.attachedAt}>{formatTime(s.attachedAt)}</time> by {s.attachedBy}
                  </td>
                  <td>{s.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
