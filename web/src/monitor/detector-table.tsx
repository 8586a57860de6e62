import type { Reading } from './detector-readings';
import { TableWrap } from './table-wrap';
import { formatNumber } from './verdict';

/** Value against threshold as a bar with a tick (the figures are in the row; the bar is a picture of them). */
function ValueBar({ reading }: { reading: Reading }) {
  const max = Math.max(reading.value, reading.threshold, 1e-9) * 1.2;
  const x = (v: number) => (v / max) * 120;
  return (
    <svg width="124" height="14" aria-hidden="true" className="value-bar">
      <rect
        className={reading.breached ? 'bar current breached' : 'bar current'}
        x="0"
        y="3"
        width={x(reading.value)}
        height="8"
      />
      <line className="threshold" x1={x(reading.threshold)} x2={x(reading.threshold)} y1="0" y2="14" />
    </svg>
  );
}

/** Detector readings with their thresholds: breached ones say so in words. */
export function DetectorTable({ readings }: { readings: Reading[] }) {
  if (readings.length === 0)
    return (
      <p className="muted">No detector has a reading for this window (too few rows, or no drift result).</p>
    );
  return (
    <TableWrap label="Detector readings table">
      <table>
        <caption>Detector readings in this window</caption>
        <thead>
          <tr>
            <th scope="col">Detector</th>
            <th scope="col">Value</th>
            <th scope="col">Breached when</th>
            <th scope="col">Breached</th>
            <th scope="col">
              <span className="visually-hidden">Value against threshold</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {readings.map((r) => (
            <tr key={r.detector}>
              <th scope="row">{r.detector}</th>
              <td>{formatNumber(r.value)}</td>
              <td>
                value {r.when} {formatNumber(r.threshold)}
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
