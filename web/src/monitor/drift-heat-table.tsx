import { formatTime } from '../app/format';
import type { MonitorWindow } from './monitor-types';
import { TableWrap } from './table-wrap';
import { formatNumber } from './verdict';

/**
 * Drift per column over the windows given (oldest first): a table whose cells carry the test's value and
 * say "drift" in words, shaded when drifted. A column header selects that window for the details below.
 */
export function DriftHeatTable(props: {
  windows: MonitorWindow[];
  selected: string | null;
  onSelect(id: string): void;
}) {
  const columns = [...new Set(props.windows.flatMap((w) => w.drift?.columns.map((c) => c.column) ?? []))];
  if (columns.length === 0) return <p className="muted">No window of these has drift results yet.</p>;
  return (
    <TableWrap label="Drift per column table">
      <table className="heat-table">
        <caption>
          Drift per column, oldest window first (p-value or distance; drifted cells are marked)
        </caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            {props.windows.map((w) => (
              <th scope="col" key={w.id}>
                <button
                  type="button"
                  className="link-button"
                  aria-pressed={w.id === props.selected}
                  onClick={() => props.onSelect(w.id)}
                >
                  {formatTime(w.end)}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {columns.map((name) => (
            <tr key={name}>
              <th scope="row">
                <bdi>{name}</bdi>
              </th>
              {props.windows.map((w) => {
                const c = w.drift?.columns.find((d) => d.column === name);
                if (!c) return <td key={w.id}>—</td>;
                return (
                  <td key={w.id} className={c.drifted ? 'heat drifted' : 'heat'}>
                    {formatNumber(c.value)}
                    {c.drifted && <span className="flag"> drift</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
