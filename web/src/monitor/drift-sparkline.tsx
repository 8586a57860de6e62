import { ChartAxes } from '../serving/chart-axes';
import { chart, niceMax, scales } from '../serving/chart-scale';
import { pValueTests } from './monitor-types';

export interface DriftPoint {
  /** The window's end (ms since the epoch). */
  at: number;
  value: number;
  drifted: boolean;
}

/**
 * One column's drift over time (a small multiple): the test's value per window as a line, the threshold as
 * a dashed line, drifted windows as filled squares (hollow circles otherwise), so shape tells them apart.
 */
export function DriftSparkline(props: {
  column: string;
  test: string;
  threshold: number;
  points: DriftPoint[];
}) {
  const { points } = props;
  const from = points[0]?.at ?? 0;
  const to = points[points.length - 1]?.at ?? from + 1;
  const isP = pValueTests.includes(props.test);
  const max = isP ? 1 : niceMax(Math.max(props.threshold, ...points.map((p) => p.value)) * 1.1);
  const { x, y } = scales(from, to, max);
  const drifted = points.filter((p) => p.drifted).length;
  return (
    <figure className="chart small">
      <figcaption>
        <bdi>{props.column}</bdi> ({props.test}, threshold {props.threshold})
      </figcaption>
      <svg
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-label={`${props.column}: ${props.test} over ${points.length} windows, ${drifted} drifted`}
      >
        <ChartAxes from={from} to={to} max={max} unit={isP ? 'p' : 'dist'} />
        <line
          className="threshold"
          x1={chart.left}
          x2={chart.width - chart.right}
          y1={y(props.threshold)}
          y2={y(props.threshold)}
        />
        <polyline
          className="line p50"
          fill="none"
          points={points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
        />
        {points.map((p) =>
          p.drifted ? (
            <rect
              key={p.at}
              className="mark drifted"
              x={x(p.at) - 4}
              y={y(p.value) - 4}
              width={8}
              height={8}
            />
          ) : (
            <circle key={p.at} className="mark" cx={x(p.at)} cy={y(p.value)} r={3} />
          ),
        )}
      </svg>
    </figure>
  );
}
