import type { DriftReportDocument, DriftReportInput } from './drift-report.types.js';
import { driftReportJson } from './drift-report-json.js';
import { escapeHtml, userText } from './html-text.js';
import { formatCount, formatShare, formatValue } from './report-format.js';
import { columnSection, columnsTable, facts, nameHtml, outcomesSection } from './report-sections.js';
import { reportStyles } from './report-styles.js';
import { policyChoices, testSelectionRules, testTitles } from './test-selection-rules.js';

/** The report allows itself inline styles and data: images, nothing else: no script, no fetch of any kind. */
export const driftReportCsp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const closedByText = {
  count: 'it reached its row count',
  time: 'its time ran out',
  shutdown: 'the server stopped',
};

function header(doc: DriftReportDocument): string {
  const w = doc.window;
  const r = doc.reference;
  const time = (iso: string) => `<time datetime="${escapeHtml(iso)}">${userText(iso, 40)}</time>`;
  return [
    `<header><h1>Drift report: ${nameHtml(w.model)} version ${w.version}</h1>`,
    `<p class="muted">Environment ${nameHtml(w.environment)} · window <code>${userText(w.id, 80)}</code> · generated ${time(doc.generatedAt)}</p>`,
    facts([
      ['Model', nameHtml(w.model)],
      ['Version', String(w.version)],
      ['Digest', `<code>${userText(w.digest, 200)}</code>`],
      ['Environment', nameHtml(w.environment)],
      ['Window', `${time(w.start)} to ${time(w.end)}`],
      ['Closed because', closedByText[w.closedBy] ?? userText(String(w.closedBy), 40)],
      ['Requests', formatCount(w.requests)],
      ['Rows', formatCount(w.rows)],
      [
        'Reference data',
        r === null
          ? 'none attached to this version'
          : `${formatCount(r.rows)} rows (${r.format}), <code>${userText(r.datasetDigest, 200)}</code>`,
      ],
    ]),
    '</header>',
  ].join('');
}

function verdict(doc: DriftReportDocument): string {
  if (doc.drift === null) {
    const why =
      doc.driftUnavailable === 'no_reference'
        ? 'this version has no reference data to compare with'
        : 'the window had too few rows for the drift tests';
    return `<p class="verdict unknown">No drift computed: ${why}.</p>`;
  }
  const d = doc.drift.dataset;
  const counts = `${formatCount(d.drifted)} of ${formatCount(d.columns)} feature columns drifted (${formatShare(d.share)})`;
  return d.detected
    ? `<p class="verdict drifted">Dataset drift detected: ${counts}, at or above the threshold of ${formatShare(d.threshold)}.</p>`
    : `<p class="verdict stable">No dataset drift: ${counts}, below the threshold of ${formatShare(d.threshold)}.</p>`;
}

function footer(doc: DriftReportDocument): string {
  const rules = testSelectionRules.map(
    (rule) =>
      `<tr><td>${rule.kind}</td><td>${escapeHtml(rule.when)}</td><td>${testTitles[rule.test]}</td><td class="num">${formatValue(rule.threshold)}</td><td><code>${escapeHtml(rule.driftWhen)}</code></td></tr>`,
  );
  const share = doc.drift ? formatShare(doc.drift.dataset.threshold) : formatShare(0.5);
  const chosen = policyChoices(doc.drift?.columns ?? []);
  const policy =
    chosen.length === 0
      ? ''
      : `<p>The deployment's monitor policy chose instead of these rules for ${formatCount(chosen.length)} ${chosen.length === 1 ? 'column' : 'columns'} (marked “set by policy” in the table of columns):</p><ul>${chosen.map(([name, text]) => `<li>${nameHtml(name)}: ${escapeHtml(text)}</li>`).join('')}</ul>`;
  return [
    '<footer><h2 id="s-method">How the tests are chosen</h2>',
    "<p>Unless the deployment's monitor policy sets its test or threshold, each column gets Evidently's default test, by its kind, the size N of its reference sample (missing values dropped) and the number of distinct values in both samples. The thresholds below are Evidently's defaults; the table of columns shows the ones this window used.</p>",
    '<table><caption>Default drift test per column</caption><thead><tr><th scope="col">Kind</th><th scope="col">Reference size and distinct values</th><th scope="col">Test</th><th scope="col" class="num">Threshold</th><th scope="col">Drift when</th></tr></thead>',
    `<tbody>${rules.join('')}</tbody></table>`,
    policy,
    `<p>p-values (Kolmogorov–Smirnov, chi-square, Z-test) are scipy's; a small p means drift. Distances (Wasserstein normed by the reference's standard deviation, Jensen–Shannon on shared bins, PSI) mean drift when large. The dataset drifts when the share of drifted feature columns reaches ${share} (prediction and probability columns are judged on their own; a column with no values counts neither way).</p>`,
    '<p class="note">Made by Warden. This file is self-contained: it runs no script and loads nothing.</p>',
    '</footer>',
  ].join('');
}

/**
 * One window's drift report as a self-contained HTML document: inline CSS and SVG charts, no script, no
 * external resource (and a CSP that forbids both), every user-chosen string escaped. Pure: the same input
 * gives the same bytes.
 */
export function renderDriftReport(input: DriftReportInput): string {
  const doc = driftReportJson(input);
  const w = doc.window;
  const driftOf = new Map(doc.drift?.columns.map((c) => [c.column, c]));
  const distributions = doc.histograms.map((h, i) => columnSection(h, driftOf.get(h.column), `c${i}`));
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${driftReportCsp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark"><meta name="referrer" content="no-referrer">',
    `<title>Drift report: ${userText(w.model, 80)} v${w.version}, ${userText(w.environment, 80)}, ${userText(w.start, 40)}</title>`,
    `<style>${reportStyles}</style></head><body>`,
    header(doc),
    '<main><section aria-labelledby="s-drift"><h2 id="s-drift">Dataset drift</h2>',
    verdict(doc),
    doc.drift === null ? '' : columnsTable(doc.drift.columns),
    '</section><section aria-labelledby="s-dist"><h2 id="s-dist">Distributions: reference against current</h2>',
    distributions.length === 0
      ? '<p class="note">No histogram was kept for this window.</p>'
      : distributions.join(''),
    '</section>',
    outcomesSection(doc),
    '</main>',
    footer(doc),
    '</body></html>',
    '',
  ].join('\n');
}
