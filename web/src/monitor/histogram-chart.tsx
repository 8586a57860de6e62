import { chart, niceMax, plotHeight, plotWidth } from '../serving/chart-scale';
import type { WindowHistogram } from './monitor-types';
import { formatNumber } from './verdict';

/** Each bin's name: its range (numeric) or its category. */
export function binNames(h: WindowHistogram): string[] {
  if (h.labels) return h.labels;
  const edges = h.edges ?? [];
  return h.reference.map((_, i) => `${formatNumber(edges[i])} – ${formatNumber(edges[i + 1])}`);
}

const share = (values: number[]) => {
  const total = values.reduce((a, b) => a + b, 0);
  return values.map((v) => (total > 0 ? v / total : 0));
};

/**
 * Reference against current on the same bins: per bin an outlined bar (reference) beside a filled one
 * (current), as shares of their sample, so the two read apart without colour; the figures follow as a table.
 */
export function HistogramChart({ histogram }: { histogram: WindowHistogram }) {
  const reference = share(histogram.reference);
  const current = share(histogram.current);
  const names = binNames(histogram);
  const max = niceMax(Math.max(...reference, ...current) * 100) / 100;
  const step = plotWidth / Math.max(names.length, 1);
  const bar = Math.max(step / 2 - 1, 0.5);
  const y = (v: number) => chart.top + plotHeight - (v / max) * plotHeight;
  const bottom = chart.top + plotHeight;
  return (
    <figure className="chart histogram">
      <figcaption>
        <bdi>{histogram.column}</bdi>: reference (outlined) and current (filled)
      </figcaption>
      <svg
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-label={`Histogram of ${histogram.column}, reference against current, ${names.length} bins`}
      >
        <g className="axes">
          <line x1={chart.left} x2={chart.left + plotWidth} y1={bottom} y2={bottom} />
          <line x1={chart.left} x2={chart.left} y1={chart.top} y2={bottom} />
          <text x={chart.left - 4} y={chart.top + 4} textAnchor="end">
            {`${Math.round(max * 100)}%`}
          </text>
          <text x={chart.left - 4} y={bottom} textAnchor="end">
            0
          </text>
          <text x={chart.left} y={chart.height - 4}>
            {names[0] ?? ''}
          </text>
          <text x={chart.left + plotWidth} y={chart.height - 4} textAnchor="end">
            {names.length > 1 ? names[names.length - 1] : ''}
          </text>
        </g>
        {names.map((name, i) => {
          const x = chart.left + i * step + 1;
          const r = reference[i] ?? 0;
          const c = current[i] ?? 0;
          return (
            <g key={name}>
              <rect className="bar reference" x={x} y={y(r)} width={bar} height={bottom - y(r)} />
              <rect className="bar current" x={x + bar} y={y(c)} width={bar} height={bottom - y(c)} />
            </g>
          );
        })}
      </svg>
      <details>
        <summary>
          Bins of <bdi>{histogram.column}</bdi> as a table
        </summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Bin</th>
                <th scope="col">Reference</th>
                <th scope="col">Current</th>
              </tr>
            </thead>
            <tbody>
              {names.map((name, i) => (
                <tr key={name}>
                  <th scope="row">
                    <bdi>{name}</bdi>
                  </th>
                  <td>{`${((reference[i] ?? 0) * 100).toFixed(1)}%`}</td>
                  <td>{`${((current[i] ?? 0) * 100).toFixed(1)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
