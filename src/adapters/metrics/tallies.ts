import type { Counter, Registry } from 'prom-client';

/**
 * Hot-path metrics kept as plain numbers and handed to prom-client only when scraped: one Map lookup per
 * observation (keyed by the label values joined), no label objects validated, sorted and hashed per
 * request. The exposition is what prom-client's own Counter and Histogram would write.
 */

type Labels<K extends string> = Record<K, string>;

/** Label values joined by NUL (which no label value here holds: names, digests, codes). */
const keyOf = (values: readonly string[]) => values.join('\0');

/**
 * Counts per label set, added to `counter` when it collects (its `collect` option calls `flush`). A label
 * set counted once stays in the counter, as with `counter.inc`.
 */
export function counterTally<K extends string>(labelNames: readonly K[]) {
  const pending = new Map<string, { labels: Labels<K>; count: number }>();
  return {
    inc(values: readonly string[]): void {
      const key = keyOf(values);
      const entry = pending.get(key);
      if (entry) entry.count++;
      else {
        const labels = {} as Labels<K>;
        labelNames.forEach((name, i) => {
          labels[name] = values[i] ?? '';
        });
        pending.set(key, { labels, count: 1 });
      }
    },
    flush(counter: Counter<K>): void {
      for (const entry of pending.values()) {
        if (entry.count === 0) continue;
        counter.inc(entry.labels, entry.count);
        entry.count = 0;
      }
    },
  };
}

interface HistogramEntry<K extends string> {
  labels: Labels<K>;
  /** Observations per bucket (not cumulative); the last slot is above every bound (+Inf). */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram registered on `registry` under `name`, observed into plain arrays; its text is
 * made at scrape time, in prom-client's histogram format (`_bucket` with `le`, `_sum`, `_count`).
 */
export function tallyHistogram<K extends string>(options: {
  name: string;
  help: string;
  labelNames: readonly K[];
  buckets: readonly number[];
  registry: Registry;
}) {
  const { name, help, labelNames, buckets: bounds } = options;
  const entries = new Map<string, HistogramEntry<K>>();
  const values = () => {
    const out: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    for (const e of entries.values()) {
      let cumulative = 0;
      bounds.forEach((le, i) => {
        cumulative += e.buckets[i] ?? 0;
        out.push({ labels: { le, ...e.labels }, value: cumulative, metricName: `${name}_bucket` });
      });
      out.push({ labels: { le: '+Inf', ...e.labels }, value: e.count, metricName: `${name}_bucket` });
      out.push({ labels: { ...e.labels }, value: e.sum, metricName: `${name}_sum` });
      out.push({ labels: { ...e.labels }, value: e.count, metricName: `${name}_count` });
    }
    return out;
  };
  const metric = {
    name,
    help,
    type: 'histogram' as const,
    aggregator: 'sum' as const,
    get: async () => ({
      name,
      help,
      type: 'histogram' as const,
      aggregator: 'sum' as const,
      values: values(),
    }),
    reset: () => entries.clear(),
  };
  options.registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  return {
    observe(labelValues: readonly string[], value: number): void {
      const key = keyOf(labelValues);
      let e = entries.get(key);
      if (!e) {
        const labels = {} as Labels<K>;
        labelNames.forEach((n, i) => {
          labels[n] = labelValues[i] ?? '';
        });
        e = { labels, buckets: new Float64Array(bounds.length + 1), sum: 0, count: 0 };
        entries.set(key, e);
      }
      let i = 0;
      while (i < bounds.length && value > (bounds[i] as number)) i++;
      e.buckets[i] = (e.buckets[i] ?? 0) + 1;
      e.sum += value;
      e.count++;
    },
  };
}
