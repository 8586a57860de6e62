import { useState } from 'react';
import { Link } from 'react-router';
import { formatTime } from '../app/format';
import { ActorName } from './actor-name';
import { ModelEditForm } from './model-edit-form';
import { versionPath } from './model-paths';
import type { ModelDetail } from './models-types';

/** The model's description and facts; an edit form for those who may change them. */
export function ModelSummary({ model, canEdit }: { model: ModelDetail; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <>
      {editing ? (
        <ModelEditForm model={model} onDone={() => setEditing(false)} />
      ) : (
        <>
          <p className="description">{model.description || <span className="muted">No description.</span>}</p>
          {canEdit && (
            <div className="actions">
              <button type="button" onClick={() => setEditing(true)}>
                Edit description and tags
              </button>
            </div>
          )}
        </>
      )}
      <dl className="facts">
        <dt>Owner</dt>
        <dd>{model.owner}</dd>
        <dt>Tags</dt>
        <dd>
          {model.tags.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="inline-list">
              {model.tags.map((t) => (
                <li key={t}>
                  <Link className="tag" to={`/models?${new URLSearchParams({ tag: t })}`}>
                    {t}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Latest version</dt>
        <dd>
          {model.latestVersion === null ? (
            <span className="muted">none yet</span>
          ) : (
            <Link to={versionPath(model.name, model.latestVersion)}>v{model.latestVersion}</Link>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={model.createdAt}>{formatTime(model.createdAt)}</time> by{' '}
          <ActorName id={model.createdBy} name={model.createdByName} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <time dateTime={model.updatedAt}>{formatTime(model.updatedAt)}</time>
        </dd>
      </dl>
    </>
  );
}
