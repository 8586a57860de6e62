import type { DriftReportHistogram } from './drift-report.types.js';
import { escapeHtml, userText } from './html-text.js';
import { formatEdge, formatShare } from './report-format.js';

/** Chart geometry in SVG user units; the SVG scales to its container (viewBox), so these are proportions. */
const width = 560;
const axisWidth = 48;
const labelWidth = 170;
const rowHeight = 24;
const plotHeight = 170;

const round = (n: number): string => String(Math.round(n * 100) / 100);

/** One bar: its data in its tooltip, so the numbers are there without a script. */
function bar(side: 'ref' | 'cur', x: number, y: number, w: number, h: number, tip: string): string {
  const name = side === 'ref' ? 'reference' : 'current';
  return `<rect class="bar-${side}" x="${round(x)}" y="${round(y)}" width="${round(w)}" height="${round(h)}"><title>${tip} — ${name}</title></rect>`;
}

function scaleMax(h: DriftReportHistogram): number {
  const values = [...h.reference, ...h.current, h.omitted?.reference ?? 0, h.omitted?.current ?? 0];
  return Math.max(...values, 1e-12);
}

/** Numeric bins as a vertical histogram: per bin the reference bar, then the current one, on one y scale. */
function numericChart(h: DriftReportHistogram, edges: number[]): { body: string; height: number } {
  const bins = h.reference.length;
  const plotWidth = width - axisWidth - 8;
  const band = plotWidth / bins;
  const max = scaleMax(h);
  const parts: string[] = [];
  for (const fraction of [0, 0.5, 1]) {
    const y = 8 + plotHeight * (1 - fraction);
    parts.push(`<line class="grid" x1="${axisWidth}" x2="${width - 8}" y1="${round(y)}" y2="${round(y)}"/>`);
    parts.push(
      `<text class="tick" x="${axisWidth - 4}" y="${round(y + 4)}" text-anchor="end">${formatShare(max * fraction)}</text>`,
    );
  }
  for (let i = 0; i < bins; i++) {
    const x = axisWidth + i * band;
    const tip = binName(h, i);
    for (const [side, values, offset] of [
      ['ref', h.reference, 0.1],
      ['cur', h.current, 0.5],
    ] as const) {
      const p = values[i] ?? 0;
      const barHeight = (p / max) * plotHeight;
      parts.push(
        bar(
          side,
          x + band * offset,
          8 + plotHeight - barHeight,
          band * 0.4,
          barHeight,
          `${tip}: ${formatShare(p)}`,
        ),
      );
    }
  }
  const step = Math.max(1, Math.ceil(bins / 6));
  const ticks = new Set([...Array.from({ length: Math.ceil(bins / step) }, (_, k) => k * step), bins]);
  for (const i of ticks) {
    const x = round(axisWidth + i * band);
    parts.push(
      `<text class="tick" x="${x}" y="${plotHeight + 26}" text-anchor="middle">${formatEdge(edges[i] ?? 0)}</text>`,
    );
  }
  return { body: parts.join(''), height: plotHeight + 34 };
}

/** Categories as horizontal bars, one row per category (its label on the left), the omitted ones last. */
function categoryChart(h: DriftReportHistogram, labels: string[]): { body: string; height: number } {
  const rows = labels.map((label, i) => ({ label: userText(label, 24), tip: userText(label, 200), i }));
  if (h.omitted) {
    const other = `${h.omitted.categories} other categories`;
    rows.push({ label: escapeHtml(other), tip: escapeHtml(other), i: -1 });
  }
  const max = scaleMax(h);
  const barSpace = width - labelWidth - 60;
  const parts = rows.map(({ label, tip, i }, row) => {
    const y = row * rowHeight + 4;
    const ref = i < 0 ? (h.omitted?.reference ?? 0) : (h.reference[i] ?? 0);
    const cur = i < 0 ? (h.omitted?.current ?? 0) : (h.current[i] ?? 0);
    return [
      `<text class="label" x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${label}</text>`,
      bar('ref', labelWidth, y, (ref / max) * barSpace, 9, `${tip}: ${formatShare(ref)}`),
      bar('cur', labelWidth, y + 10, (cur / max) * barSpace, 9, `${tip}: ${formatShare(cur)}`),
      `<text class="tick" x="${round(labelWidth + (Math.max(ref, cur) / max) * barSpace + 4)}" y="${y + 14}">${formatShare(cur)}</text>`,
    ].join('');
  });
  return { body: parts.join(''), height: rows.length * rowHeight + 8 };
}

/** A bin's name: its interval (numbers, safe as they are) or its category (escaped). */
export function binName(h: DriftReportHistogram, i: number): string {
  if (h.edges === null) return userText(h.labels?.[i] ?? String(i), 200);
  const last = i === h.reference.length - 1;
  return `[${formatEdge(h.edges[i] ?? 0)}, ${formatEdge(h.edges[i + 1] ?? 0)}${last ? ']' : ')'}`;
}

/** What the chart shows, in words (escaped HTML): how many bins and where the two samples differ most. */
function describe(h: DriftReportHistogram): string {
  const bins = h.reference.length;
  const gap = (i: number) => Math.abs((h.reference[i] ?? 0) - (h.current[i] ?? 0));
  let widest = 0;
  for (let i = 1; i < bins; i++) if (gap(i) > gap(widest)) widest = i;
  const what = h.edges === null ? `${bins} categories` : `${bins} bins`;
  const omitted = h.omitted ? `, and ${h.omitted.categories} more categories summed as one` : '';
  const most =
    bins === 0
      ? ''
      : ` The largest difference is in ${binName(h, widest)}: reference ${formatShare(h.reference[widest] ?? 0)}, current ${formatShare(h.current[widest] ?? 0)}.`;
  return `${what}${omitted}.${most}`;
}

/**
 * A column's reference-vs-current histogram as inline SVG: an image to assistive technology (its title and
 * description say what it shows), each bar's value in its tooltip. `id` must be unique in the document.
 */
export function histogramSvg(h: DriftReportHistogram, id: string): string {
  if (h.reference.length === 0) return '<p class="note">No values in this window.</p>';
  const chart =
    h.edges !== null
      ? numericChart(h, h.edges)
      : categoryChart(h, h.labels ?? h.reference.map((_, i) => `${i}`));
  return [
    `<svg class="chart" viewBox="0 0 ${width} ${chart.height}" width="${width}" height="${chart.height}" role="img" aria-labelledby="${id}-t ${id}-d">`,
    `<title id="${id}-t">Histogram of ${userText(h.column, 200)}: reference against current</title>`,
    `<desc id="${id}-d">${describe(h)}</desc>`,
    chart.body,
    '</svg>',
  ].join('');
}
