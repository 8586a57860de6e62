import { DriftHeatTable } from './drift-heat-table';
import { type DriftPoint, DriftSparkline } from './drift-sparkline';
import type { MonitorWindow } from './monitor-types';

/** Drift per column over the last windows: small multiples, then the same figures as a table. */
export function DriftOverTime(props: {
  windows: MonitorWindow[];
  selected: string | null;
  onSelect(id: string): void;
}) {
  const oldestFirst = [...props.windows].reverse();
  const byColumn = new Map<string, { test: string; threshold: number; points: DriftPoint[] }>();
  for (const w of oldestFirst)
    for (const c of w.drift?.columns ?? []) {
      if (c.noData) continue;
      const entry = byColumn.get(c.column) ?? { test: c.test, threshold: c.threshold, points: [] };
      entry.points.push({ at: Date.parse(w.end), value: c.value, drifted: c.drifted });
      byColumn.set(c.column, entry);
    }
  return (
    <section aria-labelledby="drift-over-time">
      <h2 id="drift-over-time">Drift per column over the last {props.windows.length} windows</h2>
      {byColumn.size > 0 && (
        <div className="small-multiples">
          {[...byColumn].map(([column, e]) => (
            <DriftSparkline key={column} column={column} {...e} />
          ))}
        </div>
      )}
      <DriftHeatTable windows={oldestFirst} selected={props.selected} onSelect={props.onSelect} />
    </section>
  );
}
