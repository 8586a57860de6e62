import { formatMetric } from './metric-value';
import type { VersionMetrics } from './metrics-table';

const size = { width: 560, height: 220, left: 56, right: 16, top: 16, bottom: 32 };

/** One metric over the versions as a line with points; the table above holds the same numbers as text. */
export function MetricsChart({ metric, versions }: { metric: string; versions: VersionMetrics[] }) {
  const points = versions.flatMap((v) => {
    const value = v.metrics[metric];
    return value === undefined ? [] : [{ number: v.number, value }];
  });
  if (points.length === 0) return <p className="empty">No version records {metric}.</p>;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || Math.abs(max) || 1;
  const low = max === min ? min - span / 2 : min;
  const high = max === min ? max + span / 2 : max;
  const plotW = size.width - size.left - size.right;
  const plotH = size.height - size.top - size.bottom;
  const x = (i: number) =>
    size.left + (versions.length === 1 ? plotW / 2 : (i * plotW) / (versions.length - 1));
  const y = (value: number) => size.top + plotH - ((value - low) / (high - low)) * plotH;
  const indexOf = (n: number) => versions.findIndex((v) => v.number === n);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(indexOf(p.number))},${y(p.value)}`).join(' ');
  return (
    <div className="graph-wrap">
      <svg
        role="img"
        viewBox={`0 0 ${size.width} ${size.height}`}
        width={size.width}
        height={size.height}
        className="metrics-chart"
      >
        <title>
          {metric} by version: {points.map((p) => `v${p.number} ${formatMetric(p.value)}`).join(', ')}
        </title>
        <line x1={size.left} y1={size.top} x2={size.left} y2={size.top + plotH} className="axis" />
        <line
          x1={size.left}
          y1={size.top + plotH}
          x2={size.left + plotW}
          y2={size.top + plotH}
          className="axis"
        />
        <text x={size.left - 6} y={y(high) + 4} textAnchor="end">
          {formatMetric(high)}
        </text>
        <text x={size.left - 6} y={y(low) + 4} textAnchor="end">
          {formatMetric(low)}
        </text>
        {versions.map((v, i) => (
          <text key={v.number} x={x(i)} y={size.height - 10} textAnchor="middle">
            v{v.number}
          </text>
        ))}
        <path d={path} className="series" />
        {points.map((p) => (
          <circle key={p.number} cx={x(indexOf(p.number))} cy={y(p.value)} r={4} className="point" />
        ))}
      </svg>
    </div>
  );
}
