import { Link } from 'react-router';
import { formatTime } from '../app/format';
import { Pager, useCursorPager } from '../app/pager';
import { QueryResultView } from '../app/query-result-view';
import { ActorName } from './actor-name';
import { versionPath } from './model-paths';
import { useAliasHistory } from './models-queries';

/** Every move of one alias, newest first, a page at a time: from, to, who, when and why. */
export function AliasHistory({ name, alias }: { name: string; alias: string }) {
  const pager = useCursorPager(`${name}/${alias}`);
  const history = useAliasHistory(name, alias, pager.after);
  const version = (n: number | null) =>
    n === null ? <span className="muted">—</span> : <Link to={versionPath(name, n)}>v{n}</Link>;
  return (
    <section aria-labelledby="alias-history-heading" className="panel">
      <h3 id="alias-history-heading">History of {alias}</h3>
      <QueryResultView query={history} what={`history of ${alias}`}>
        {(page) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Moves of {alias}, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Who</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => (
                    <tr key={`${e.at}-${e.from}-${e.to}`}>
                      <td>
                        <time dateTime={e.at}>{formatTime(e.at)}</time>
                      </td>
                      <td>{version(e.from)}</td>
                      <td>{e.to === null ? <span className="muted">removed</span> : version(e.to)}</td>
                      <td>
                        <ActorName id={e.actor} name={e.actorName} />
                      </td>
                      <td className="reason">{e.reason ?? <span className="muted">none given</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager label={`History of ${alias}`} pager={pager} nextCursor={page.next} />
          </>
        )}
      </QueryResultView>
    </section>
  );
}
