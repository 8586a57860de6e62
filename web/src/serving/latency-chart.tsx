import { ChartAxes } from './chart-axes';
import { chart, niceMax, scales } from './chart-scale';
import type { MinuteStats } from './serving-stats';

const lines = ['p50', 'p90', 'p99'] as const;

/** Latency percentiles per minute, one line each (solid, dashed, dotted: told apart without colour). */
export function LatencyChart(props: { minutes: MinuteStats[]; from: number; to: number; label: string }) {
  const max = niceMax(Math.max(0, ...props.minutes.flatMap((m) => lines.map((l) => m.latencyMs[l] ?? 0))));
  const { x, y } = scales(props.from, props.to, max);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} role="img" aria-label={props.label}>
        <ChartAxes from={props.from} to={props.to} max={max} unit="ms" />
        {lines.map((line) => {
          const points = props.minutes
            .filter((m) => m.latencyMs[line] !== null)
            .map((m) => `${x(m.at).toFixed(1)},${y(m.latencyMs[line] ?? 0).toFixed(1)}`);
          return points.length ? (
            <polyline key={line} className={`line ${line}`} points={points.join(' ')} fill="none" />
          ) : null;
        })}
      </svg>
      <figcaption className="legend">
        {lines.map((line) => (
          <span key={line}>
            <svg width="22" height="10" aria-hidden="true">
              <line className={`line ${line}`} x1="0" x2="22" y1="5" y2="5" />
            </svg>{' '}
            {line}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
