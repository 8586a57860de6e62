import type { DriftReportColumn, DriftReportDocument, DriftReportHistogram } from './drift-report.types.js';
import { binName, histogramSvg } from './histogram-svg.js';
import { escapeHtml, truncate, userText } from './html-text.js';
import { formatCount, formatShare, formatValue } from './report-format.js';
import { isPValueTest, testTitles } from './test-selection-rules.js';

/** A note that the monitor policy, not Evidently's default, chose this (words, not only a mark). */
const byPolicy = (choice: DriftReportColumn['chosenBy']['test']): string =>
  choice === 'default' ? '' : ' <span class="muted">(set by policy)</span>';

/** A user-chosen name, cut for display; the full one (up to 1,000 characters) in its tooltip. */
export function nameHtml(name: string, max = 80): string {
  const shown = userText(name, max);
  const full = truncate(name, max) === name ? '' : ` title="${userText(name)}"`;
  return `<span class="name"${full}>${shown}</span>`;
}

const noDataText = { reference: 'No reference values', current: 'No current values', both: 'No values' };

/** A column's verdict as a badge: drifted, not, or none for want of values (words, not only colour). */
export function badge(c: DriftReportColumn): string {
  if (c.noData !== null) return `<span class="badge unknown">${noDataText[c.noData]}</span>`;
  return c.drifted
    ? '<span class="badge drifted">Drifted</span>'
    : '<span class="badge stable">No drift</span>';
}

/** A test's value with what it is (p-value or distance); a dash when there was nothing to compare. */
const valueText = (c: DriftReportColumn): string =>
  c.noData !== null
    ? '—'
    : `${formatValue(c.value)} <span class="muted">${isPValueTest(c.test) ? 'p' : 'distance'}</span>`;

function columnRow(c: DriftReportColumn): string {
  const cells = [
    `<th scope="row">${nameHtml(c.column)}</th>`,
    `<td>${c.role}</td>`,
    `<td>${c.kind}</td>`,
    `<td>${testTitles[c.test]}${byPolicy(c.chosenBy.test)}</td>`,
    `<td class="num">${c.statistic === null ? '—' : formatValue(c.statistic)}</td>`,
    `<td class="num">${valueText(c)}</td>`,
    `<td class="num">${formatValue(c.threshold)}${byPolicy(c.chosenBy.threshold)}</td>`,
    `<td class="num">${formatCount(c.referenceCount)}</td>`,
    `<td class="num">${formatCount(c.currentCount)}</td>`,
    `<td>${badge(c)}</td>`,
  ];
  return `<tr>${cells.join('')}</tr>`;
}

/** The per-column table: the test each column got, its numbers and its verdict. */
export function columnsTable(columns: DriftReportColumn[]): string {
  const heads = ['Column', 'Role', 'Kind', 'Test', 'Statistic', 'p-value or distance', 'Threshold']
    .concat(['Reference values', 'Current values', 'Drift'])
    .map((h, i) => `<th scope="col"${i >= 4 && i <= 8 ? ' class="num"' : ''}>${h}</th>`);
  return [
    '<table><caption>Drift per column, with the test chosen for it</caption>',
    `<thead><tr>${heads.join('')}</tr></thead>`,
    `<tbody>${columns.map(columnRow).join('')}</tbody></table>`,
  ].join('');
}

function dataTable(h: DriftReportHistogram): string {
  const rows = h.reference.map(
    (ref, i) =>
      `<tr><th scope="row">${binName(h, i)}</th><td class="num">${formatShare(ref)}</td><td class="num">${formatShare(h.current[i] ?? 0)}</td></tr>`,
  );
  if (h.omitted) {
    const { categories, reference, current } = h.omitted;
    rows.push(
      `<tr><th scope="row">${formatCount(categories)} other categories</th><td class="num">${formatShare(reference)}</td><td class="num">${formatShare(current)}</td></tr>`,
    );
  }
  return [
    '<details><summary>The numbers</summary><table>',
    `<caption>Share of values per ${h.edges === null ? 'category' : 'bin'}</caption>`,
    `<thead><tr><th scope="col">${h.edges === null ? 'Category' : 'Bin'}</th><th scope="col" class="num">Reference</th><th scope="col" class="num">Current</th></tr></thead>`,
    `<tbody>${rows.join('')}</tbody></table></details>`,
  ].join('');
}

/** One column's histogram section: its heading and verdict, the legend, the chart and its numbers. */
export function columnSection(
  h: DriftReportHistogram,
  drift: DriftReportColumn | undefined,
  id: string,
): string {
  const verdict = drift
    ? ` ${badge(drift)} <span class="muted">${testTitles[drift.test]} ${valueText(drift)}</span>`
    : '';
  const omitted = h.omitted
    ? `<p class="note">Showing the ${formatCount(h.reference.length)} categories with the largest shares of ${formatCount(h.reference.length + h.omitted.categories)}; the other ${formatCount(h.omitted.categories)} are summed as one bar.</p>`
    : '';
  return [
    `<section class="column" aria-labelledby="${id}-h">`,
    `<h3 id="${id}-h">${nameHtml(h.column)}${verdict}</h3>`,
    omitted,
    '<p class="legend"><span><span class="key ref"></span>Reference</span><span><span class="key cur"></span>Current window</span></p>',
    `<figure>${histogramSvg(h, id)}</figure>`,
    dataTable(h),
    '</section>',
  ].join('');
}

/** What the model answered and, when labels came back, how right it was. */
export function outcomesSection(doc: DriftReportDocument): string {
  const p = doc.prediction;
  const predictions =
    p === null
      ? '<p class="note">No prediction was recorded for this window.</p>'
      : facts([
          ['Rows with a prediction', formatCount(p.rows)],
          ['Unique predictions per row', formatShare(p.uniqueRatio)],
          ['Most frequent prediction', p.topClass === null ? '—' : nameHtml(p.topClass)],
          ['Its share of rows', formatShare(p.topClassShare)],
          ['Mean top-class confidence', p.meanConfidence === null ? '—' : formatValue(p.meanConfidence)],
        ]);
  const l = doc.labels;
  const labels =
    l.count === 0
      ? '<p class="note">No ground-truth label has been posted for this window yet.</p>'
      : facts([
          ['Labelled requests', formatCount(l.count)],
          ['Accuracy', l.accuracy === null ? '—' : formatShare(l.accuracy)],
          ['F1', l.f1 === null ? '—' : formatValue(l.f1)],
        ]);
  return [
    '<section aria-labelledby="s-predictions"><h2 id="s-predictions">Predictions</h2>',
    predictions,
    '</section><section aria-labelledby="s-labels"><h2 id="s-labels">Labels</h2>',
    labels,
    '</section>',
  ].join('');
}

/** A definition list of label/value pairs; values are already HTML. */
export function facts(pairs: [string, string][]): string {
  return `<dl class="facts">${pairs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}
