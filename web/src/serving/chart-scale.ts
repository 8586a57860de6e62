/** Chart geometry shared by the serving charts: a fixed viewBox the SVG scales to its box. */
export const chart = { width: 600, height: 160, left: 44, right: 8, top: 8, bottom: 22 } as const;

export const plotWidth = chart.width - chart.left - chart.right;
export const plotHeight = chart.height - chart.top - chart.bottom;

/** A "nice" upper bound for an axis (1, 2 or 5 times a power of ten), never 0. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** x of a minute within [from, to] and y of a value within [0, max]. */
export function scales(from: number, to: number, max: number) {
  const span = Math.max(to - from, 1);
  return {
    x: (t: number) => chart.left + ((t - from) / span) * plotWidth,
    y: (v: number) => chart.top + plotHeight - (v / max) * plotHeight,
  };
}

export const clock = (t: number) =>
  new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
