import type { WindowColumnDrift } from './monitor-types';
import { pValueTests } from './monitor-types';
import { TableWrap } from './table-wrap';
import { formatNumber } from './verdict';

const noDataText = { reference: 'no reference values', current: 'no current values', both: 'no values' };
const levelText = { column: "this column's entry", kind: 'its kind', global: 'every column' };

/** "set by policy" beside a test or threshold the monitor policy chose, saying at which level. */
function PolicyMark({ by }: { by: keyof typeof levelText | undefined }) {
  if (!by) return null;
  return (
    <>
      {' '}
      <span className="policy-mark" title={`Set by the monitor policy (${levelText[by]})`}>
        set by policy
      </span>
    </>
  );
}

/**
 * The selected window's columns: the test chosen, its value against its threshold, and the verdict; a test or
 * threshold the monitor policy chose (the column's `chosenBy`) is marked "set by policy".
 */
export function WindowColumnsTable({ columns }: { columns: WindowColumnDrift[] }) {
  return (
    <TableWrap label="Column drift table">
      <table>
        <caption>Column drift in this window</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Role</th>
            <th scope="col">Test</th>
            <th scope="col">Value</th>
            <th scope="col">Threshold</th>
            <th scope="col">Drifted</th>
            <th scope="col">Rows (reference / current)</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((c) => (
            <tr key={c.column}>
              <th scope="row">
                <bdi>{c.column}</bdi>
              </th>
              <td>{c.role}</td>
              <td>
                {c.test}
                <PolicyMark by={c.chosenBy?.test} />
              </td>
              <td>{formatNumber(c.value)}</td>
              <td>
                {pValueTests.includes(c.test) ? '≤ ' : '≥ '}
                {formatNumber(c.threshold)}
                <PolicyMark by={c.chosenBy?.threshold} />
              </td>
              <td>
                {c.noData ? `No verdict (${noDataText[c.noData]})` : c.drifted ? <strong>Yes</strong> : 'No'}
              </td>
              <td>
                {c.referenceCount} / {c.currentCount}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
