import type { WindowColumnDrift } from './monitor-types';
import { pValueTests } from './monitor-types';
import { TableWrap } from './table-wrap';
import { formatNumber } from './verdict';

const noDataText = { reference: 'no reference values', current: 'no current values', both: 'no values' };

/** The selected window's columns: the test chosen, its value against its threshold, and the verdict. */
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
              <td>{c.test}</td>
              <td>{formatNumber(c.value)}</td>
              <td>
                {pValueTests.includes(c.test) ? '≤ ' : '≥ '}
                {formatNumber(c.threshold)}
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
