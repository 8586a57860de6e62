import { ChartAxes } from './chart-axes';
import { chart, niceMax, plotWidth, scales } from './chart-scale';
import type { MinuteStats } from './serving-stats';

const classes = ['2xx', '4xx', '5xx'] as const;

/** Requests per minute as bars stacked by status class (2xx, 4xx, 5xx; patterned, not colour alone). */
export function RequestsChart(props: { minutes: MinuteStats[]; from: number; to: number; label: string }) {
  const max = niceMax(Math.max(0, ...props.minutes.map((m) => m.requests)));
  const { x, y } = scales(props.from, props.to, max);
  const barWidth = Math.max(plotWidth / 60 - 1, 1);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${chart.width} ${chart.height}`} role="img" aria-label={props.label}>
        <ChartAxes from={props.from} to={props.to} max={max} unit="req/min" />
        {props.minutes.map((m) => {
          let base = 0;
          return (
            <g key={m.at}>
              {classes.map((c) => {
                const n = m.status[c];
                if (n === 0) return null;
                const top = y(base + n);
                const height = y(base) - top;
                base += n;
                return (
                  <rect key={c} className={`bar s${c}`} x={x(m.at)} y={top} width={barWidth} height={height}>
                    <title>{`${new Date(m.at).toLocaleTimeString()}: ${n} ${c}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {classes.map((c) => (
          <span key={c}>
            <svg width="14" height="10" aria-hidden="true">
              <rect className={`bar s${c}`} width="14" height="10" />
            </svg>{' '}
            {c}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
