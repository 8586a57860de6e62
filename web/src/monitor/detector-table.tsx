import type { DetectorReading } from './monitor-types';
import { TableWrap } from './table-wrap';
import { formatNumber } from './verdict';

/** Value against threshold as a bar with a tick (the figures are in the row; the bar is a picture of them). */
function ValueBar({ reading }: { reading: DetectorReading }) {
  const { value, threshold } = reading;
  if (value === null || threshold === null) return null;
  const max = Math.max(Math.abs(value), Math.abs(threshold), 1e-9) * 1.2;
  const x = (v: number) => (Math.max(0, v) / max) * 120;
  return (
    <svg width="124" height="14" aria-hidden="true" className="value-bar">
      <rect
        className={reading.breached ? 'bar current breached' : 'bar current'}
        x="0"
        y="3"
        width={x(value)}
        height="8"
      />
      <line className="threshold" x1={x(threshold)} x2={x(threshold)} y1="0" y2="14" />
    </svg>
  );
}

/**
 * The alert engine's detector readings, as stored, with the threshold each was read against and the side of
 * it that is bad; breached ones say so in words.
 */
export function DetectorTable(props: { readings: DetectorReading[]; caption: string; empty: string }) {
  if (props.readings.length === 0) return <p className="muted">{props.empty}</p>;
  return (
    <TableWrap label={`${props.caption} table`}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Detector</th>
            <th scope="col">Value</th>
            <th scope="col">Bad when</th>
            <th scope="col">Breached</th>
            <th scope="col">
              <span className="visually-hidden">Value against threshold</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.readings.map((r) => (
            <tr key={r.detector}>
              <th scope="row">{r.detector}</th>
              <td>{formatNumber(r.value)}</td>
              <td>
                {r.direction} {formatNumber(r.threshold)}
              </td>
              <td>{r.breached ? <strong>Yes</strong> : 'No'}</td>
              <td>
                <ValueBar reading={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
