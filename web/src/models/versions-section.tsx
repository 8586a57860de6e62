import { Link } from 'react-router';
import { formatBytes, formatTime, shortDigest } from '../app/format';
import { Pager, useCursorPager } from '../app/pager';
import { QueryResultView } from '../app/query-result-view';
import { ActorName } from './actor-name';
import { versionPath } from './model-paths';
import { useVersionPage } from './models-queries';

/** The model's versions, newest first, a page at a time; deleted ones stay listed and say so. */
export function VersionsSection({ name }: { name: string }) {
  const pager = useCursorPager(name);
  const versions = useVersionPage(name, pager.after);
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      <QueryResultView query={versions} what="versions">
        {(page) =>
          page.items.length === 0 && !pager.hasPrevious ? (
            <p className="empty">No versions yet. Push one with `warden model push`.</p>
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">Versions, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Version</th>
                      <th scope="col">Digest</th>
                      <th scope="col">Format</th>
                      <th scope="col">Size</th>
                      <th scope="col">Aliases</th>
                      <th scope="col">Pushed</th>
                      <th scope="col">State</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((v) => (
                      <tr key={v.number} className={v.deleted ? 'deleted' : undefined}>
                        <th scope="row">
                          <Link to={versionPath(name, v.number)}>v{v.number}</Link>
                        </th>
                        <td>
                          <code title={v.digest}>{shortDigest(v.digest)}</code>
                        </td>
                        <td>{v.format}</td>
                        <td>{formatBytes(v.size)}</td>
                        <td>{v.aliases.join(', ')}</td>
                        <td>
                          <time dateTime={v.createdAt}>{formatTime(v.createdAt)}</time>
                          <br />
                          <ActorName id={v.createdBy} name={v.createdByName} />
                        </td>
                        <td>
                          {v.deleted ? (
                            <span className="badge bad" title={v.deleted.reason}>
                              Deleted
                            </span>
                          ) : (
                            <span className="badge ok">Available</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager label="Versions" pager={pager} nextCursor={page.next} />
            </>
          )
        }
      </QueryResultView>
    </section>
  );
}
