import { useState } from 'react';
import { QueryResultView } from '../app/query-result-view';
import { MetricsChart } from './metrics-chart';
import { MetricsTable } from './metrics-table';
import { useRecentVersions } from './models-queries';

const recentCount = 10;

/** The latest versions' metrics side by side: a table (metric × version) and a chart of one metric. */
export function MetricsSection({ name }: { name: string }) {
  const recent = useRecentVersions(name, recentCount);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <section aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics of the latest {recentCount} versions</h2>
      <QueryResultView query={recent} what="metrics">
        {(page) => {
          const versions = [...page.items].reverse().map((v) => ({ number: v.number, metrics: v.metrics }));
          const names = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort();
          if (names.length === 0) return <p className="empty">No version records metrics.</p>;
          const metric = chosen && names.includes(chosen) ? chosen : (names[0] ?? '');
          return (
            <>
              <MetricsTable names={names} versions={versions} />
              <label htmlFor="metrics-chart-metric">Chart of</label>
              <select id="metrics-chart-metric" value={metric} onChange={(e) => setChosen(e.target.value)}>
                {names.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
              <MetricsChart metric={metric} versions={versions} />
            </>
          );
        }}
      </QueryResultView>
    </section>
  );
}
