import { fetchJsonOrNull } from '../app/fetch-json';

export interface MinuteStats {
  /** Epoch milliseconds of the minute's start. */
  at: number;
  requests: number;
  status: { '2xx': number; '4xx': number; '5xx': number };
  refusals: Record<string, number>;
  latencyMs: { p50: number | null; p90: number | null; p99: number | null };
}

export interface ModelStats {
  model: string;
  /** Requests by the version digest that answered them (null: refused before a version was chosen). */
  digests: { digest: string | null; requests: number }[];
  minutes: MinuteStats[];
  totals: { requests: number; status: MinuteStats['status']; refusals: Record<string, number> };
}

/**
 * One model's last hour from `GET …/serving/stats`, or null when the server has no such route (older
 * server) or no data for the model. The answer is read field by field: anything missing or of the wrong
 * type counts as absent, so a slightly different shape degrades to fewer numbers, not a broken page.
 */
export async function fetchModelStats(env: string, model: string, minutes = 60): Promise<ModelStats | null> {
  const query = new URLSearchParams({ model, minutes: String(minutes) });
  const body = await fetchJsonOrNull(
    `/api/v1/environments/${encodeURIComponent(env)}/serving/stats?${query.toString()}`,
  );
  const models = array(record(body)?.models);
  const raw =
    models.map(record).find((m) => m?.model === model) ?? (models.length === 1 ? record(models[0]) : null);
  if (!raw) return null;
  const series = array(raw.minutes)
    .map(minuteOf)
    .filter((m): m is MinuteStats => m !== null)
    .sort((a, b) => a.at - b.at);
  return {
    model,
    digests: array(raw.digests).map((d) => {
      const r = record(d);
      if (typeof d === 'string') return { digest: d, requests: 0 };
      return {
        digest: typeof r?.digest === 'string' ? r.digest : null,
        requests: count(record(r?.totals)?.requests),
      };
    }),
    minutes: series,
    totals: totalsOf(series),
  };
}

function minuteOf(value: unknown): MinuteStats | null {
  const m = record(value);
  const at = typeof m?.at === 'string' ? Date.parse(m.at) : typeof m?.at === 'number' ? m.at : Number.NaN;
  if (!m || Number.isNaN(at)) return null;
  const status = record(m.status);
  const latency = record(m.latencyMs);
  const refusals: Record<string, number> = {};
  for (const [reason, n] of Object.entries(record(m.refusals) ?? {}))
    if (count(n) > 0) refusals[reason] = count(n);
  return {
    at,
    requests: count(m.requests),
    status: { '2xx': count(status?.['2xx']), '4xx': count(status?.['4xx']), '5xx': count(status?.['5xx']) },
    refusals,
    latencyMs: { p50: ms(latency?.p50), p90: ms(latency?.p90), p99: ms(latency?.p99) },
  };
}

function totalsOf(minutes: MinuteStats[]): ModelStats['totals'] {
  const totals: ModelStats['totals'] = {
    requests: 0,
    status: { '2xx': 0, '4xx': 0, '5xx': 0 },
    refusals: {},
  };
  for (const m of minutes) {
    totals.requests += m.requests;
    for (const k of ['2xx', '4xx', '5xx'] as const) totals.status[k] += m.status[k];
    for (const [reason, n] of Object.entries(m.refusals))
      totals.refusals[reason] = (totals.refusals[reason] ?? 0) + n;
  }
  return totals;
}

const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const array = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
const ms = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
