import { chart, clock, plotHeight, plotWidth } from './chart-scale';

/** The y axis (0 and max, with a unit) and the x axis (the hour's ends), drawn once per chart. */
export function ChartAxes(props: { from: number; to: number; max: number; unit: string }) {
  const bottom = chart.top + plotHeight;
  return (
    <g className="axes">
      <line x1={chart.left} x2={chart.left + plotWidth} y1={bottom} y2={bottom} />
      <line x1={chart.left} x2={chart.left} y1={chart.top} y2={bottom} />
      <line className="grid" x1={chart.left} x2={chart.left + plotWidth} y1={chart.top} y2={chart.top} />
      <text x={chart.left - 4} y={chart.top + 4} textAnchor="end">
        {props.max}
      </text>
      <text x={chart.left - 4} y={bottom} textAnchor="end">
        0
      </text>
      <text x={chart.left - 4} y={chart.top + plotHeight / 2} textAnchor="end">
        {props.unit}
      </text>
      <text x={chart.left} y={chart.height - 4}>
        {clock(props.from)}
      </text>
      <text x={chart.left + plotWidth} y={chart.height - 4} textAnchor="end">
        {clock(props.to)}
      </text>
    </g>
  );
}
