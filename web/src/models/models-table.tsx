import { Link } from 'react-router';
import { modelPath, versionPath } from './model-paths';
import type { ModelListItem } from './models-types';

/** One row per model: name, owner, tags (each a filter), latest version and where the aliases point. */
export function ModelsTable({ models, onTag }: { models: ModelListItem[]; onTag(tag: string): void }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Models</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Owner</th>
            <th scope="col">Tags</th>
            <th scope="col">Latest version</th>
            <th scope="col">Aliases</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.name}>
              <th scope="row">
                <Link to={modelPath(m.name)}>{m.name}</Link>
              </th>
              <td>{m.owner}</td>
              <td>
                <ul className="inline-list">
                  {m.tags.map((tag) => (
                    <li key={tag}>
                      <button
                        type="button"
                        className="tag"
                        aria-label={`Show models tagged ${tag}`}
                        onClick={() => onTag(tag)}
                      >
                        {tag}
                      </button>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {m.latestVersion === null ? (
                  <span className="muted">none</span>
                ) : (
                  <Link to={versionPath(m.name, m.latestVersion)}>v{m.latestVersion}</Link>
                )}
              </td>
              <td>
                <ul className="inline-list">
                  {m.aliases.map((a) => (
                    <li key={a.name}>
                      <Link to={versionPath(m.name, a.version)}>
                        {a.name} → v{a.version}
                      </Link>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
