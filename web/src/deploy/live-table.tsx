import { Link } from 'react-router';
import { formatTime, shortDigest } from '../app/format';
import type { LiveModel } from './deploy-types';

/** The traffic split in words: what share each side takes (a shadow copies traffic; stable answers all). */
export function splitText(m: LiveModel): string {
  if (!m.candidate) return m.stable ? 'stable 100%' : 'nothing live';
  if (m.candidate.mode === 'shadow') return `stable 100%, shadow copy ${m.candidate.percent}%`;
  return `stable ${100 - m.candidate.percent}%, canary ${m.candidate.percent}%`;
}

/** Every model live in one environment: stable and canary/shadow versions, digests and the split. */
export function LiveTable({ env, models }: { env: string; models: LiveModel[] }) {
  if (models.length === 0) return <p className="muted">Nothing is live in {env} yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Live in {env}</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Stable</th>
            <th scope="col">Canary or shadow</th>
            <th scope="col">Traffic split</th>
            <th scope="col">Changed</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.model}>
              <th scope="row">
                <Link to={`/deployments/${env}/${m.model}`}>{m.model}</Link>
              </th>
              <td>
                {m.stable ? (
                  <>
                    v{m.stable.version} <code title={m.stable.digest}>{shortDigest(m.stable.digest)}</code>
                  </>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
              <td>
                {m.candidate ? (
                  <>
                    {m.candidate.mode} v{m.candidate.version}{' '}
                    <code title={m.candidate.digest}>{shortDigest(m.candidate.digest)}</code>
                  </>
                ) : (
                  <span className="muted">none</span>
                )}
              </td>
              <td>{splitText(m)}</td>
              <td>
                <time dateTime={m.updatedAt}>{formatTime(m.updatedAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
