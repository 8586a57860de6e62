import { useState } from 'react';
import { Link } from 'react-router';
import { formatTime, shortDigest } from '../app/format';
import { ActorName } from './actor-name';
import { AliasForm } from './alias-form';
import { AliasHistory } from './alias-history';
import { versionPath } from './model-paths';
import type { ModelDetail } from './models-types';

/** Where each alias points now, each one's full history on demand, and a form to set or move one. */
export function AliasesSection({ model, canSet }: { model: ModelDetail; canSet: boolean }) {
  const [shown, setShown] = useState<string | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  return (
    <section aria-labelledby="aliases-heading">
      <h2 id="aliases-heading">Aliases</h2>
      {model.aliases.length === 0 ? (
        <p className="empty">No aliases.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Aliases</caption>
            <thead>
              <tr>
                <th scope="col">Alias</th>
                <th scope="col">Version</th>
                <th scope="col">Last moved</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {model.aliases.map((a) => (
                <tr key={a.name}>
                  <th scope="row">{a.name}</th>
                  <td>
                    <Link to={versionPath(model.name, a.version)}>v{a.version}</Link>{' '}
                    <code className="muted" title={a.digest}>
                      {shortDigest(a.digest)}
                    </code>
                  </td>
                  <td>
                    <time dateTime={a.updatedAt}>{formatTime(a.updatedAt)}</time> by{' '}
                    <ActorName id={a.updatedBy} name={a.updatedByName} />
                  </td>
                  <td>
                    <div className="actions">
                      <button
                        type="button"
                        aria-expanded={shown === a.name}
                        onClick={() => setShown(shown === a.name ? null : a.name)}
                      >
                        {shown === a.name ? 'Hide history' : 'History'}
                        <span className="visually-hidden"> of {a.name}</span>
                      </button>
                      {canSet && (
                        <button type="button" onClick={() => setMoving(a.name)}>
                          Move<span className="visually-hidden"> {a.name}</span>
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown && <AliasHistory key={shown} name={model.name} alias={shown} />}
      {canSet && (
        <AliasForm key={moving ?? ''} name={model.name} alias={moving ?? ''} latest={model.latestVersion} />
      )}
    </section>
  );
}
