import { describe, expect, it } from 'vitest';
import {
  type ColumnHistogram,
  type DriftReportInput,
  defaultDriftTest,
  driftReportCsp,
  driftReportJson,
  renderDriftReport,
  reportCategoryLimit,
  type WindowSummary,
} from '../../src/modules/monitor/index.js';
import { innerHtml, type Tag, tagsOf, textOf, unbalancedTags } from './html-structure.js';
import { irisColumns, irisReference, irisRows, shifted, windowOf } from './iris-window.js';

const generatedAt = '2026-12-07T15:00:00.000Z';
const reference = irisReference();
/** The shift: petal length + 2 cm (and petal width + 1 cm), sepals unchanged. */
const drifting = windowOf(shifted({ petal_length: 2, petal_width: 1 }));
const input: DriftReportInput = { summary: drifting, reference, generatedAt };

function charts(html: string): { tags: Tag[]; bars: { ref: Tag[]; cur: Tag[] } }[] {
  const tags = tagsOf(html);
  return tags
    .filter((t) => t.name === 'svg' && !t.closing)
    .map((svg) => {
      const inner = tagsOf(innerHtml(html, tags, svg));
      const bars = (side: string) =>
        inner.filter((t) => t.name === 'rect' && t.attributes.class === `bar-${side}`);
      return { tags: inner, bars: { ref: bars('ref'), cur: bars('cur') } };
    });
}

/** A bar's length: its height in a numeric histogram, its width in a category chart. */
const length = (bar: Tag, numeric: boolean) => Number(numeric ? bar.attributes.height : bar.attributes.width);

function expectProportional(bars: Tag[], proportions: number[], numeric: boolean, scale: number): void {
  expect(bars).toHaveLength(proportions.length);
  bars.forEach((bar, i) => {
    // Lengths are written to 0.01 user units: within that of the proportion on the chart's shared scale.
    expect(Math.abs(length(bar, numeric) - (proportions[i] ?? 0) * scale)).toBeLessThanOrEqual(0.006);
  });
}

describe('the drift report (HTML) of a window of shifted iris traffic', () => {
  const html = renderDriftReport(input);
  const tags = tagsOf(html);

  it('computes real drift: the shifted petals drift, the sepals do not, and the dataset drifts', () => {
    const byName = Object.fromEntries((drifting.drift?.columns ?? []).map((c) => [c.column, c]));
    expect(byName.petal_length?.test).toBe('ks');
    expect(byName.petal_length?.drifted).toBe(true);
    expect(byName.sepal_length?.drifted).toBe(false);
    expect(drifting.drift?.dataset.detected).toBe(true);
  });

  it('is one well-formed document with a title, a strict CSP and no script, handler or external URL', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(unbalancedTags(tags)).toEqual([]);
    expect(tags.filter((t) => t.name === 'html' && !t.closing).map((t) => t.attributes.lang)).toEqual(['en']);
    const csp = tags.find(
      (t) => t.name === 'meta' && t.attributes['http-equiv'] === 'Content-Security-Policy',
    );
    expect(csp?.attributes.content).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(driftReportCsp).toBe(csp?.attributes.content);
    const title = tags.find((t) => t.name === 'title' && !t.closing);
    expect(textOf(innerHtml(html, tags, title as Tag))).toContain('iris');
    const names = new Set(tags.map((t) => t.name));
    for (const forbidden of [
      'script',
      'iframe',
      'object',
      'embed',
      'link',
      'img',
      'foreignobject',
      'form',
      'base',
    ])
      expect(names.has(forbidden), forbidden).toBe(false);
    for (const tag of tags)
      for (const attr of Object.keys(tag.attributes)) {
        expect(attr.startsWith('on'), `${tag.name} ${attr}`).toBe(false);
        expect(['src', 'href', 'xlink:href', 'action', 'srcset', 'style'].includes(attr), attr).toBe(false);
      }
    expect(html).not.toMatch(/https?:|url\(|@import|javascript:/i);
  });

  it('states the window, the version and the dataset verdict', () => {
    const text = textOf(html);
    for (const fact of [
      drifting.model,
      drifting.digest,
      drifting.environment,
      drifting.start,
      drifting.end,
      reference.datasetDigest,
    ])
      expect(text).toContain(fact);
    const dataset = drifting.drift?.dataset;
    expect(text).toContain(
      `Dataset drift detected: ${dataset?.drifted} of ${dataset?.columns} feature columns drifted`,
    );
    expect(text).toContain('at or above the threshold of 50.0%');
  });

  it('has a table row and a histogram section for every column, with its test and verdict', () => {
    const rows = tags.filter((t) => t.name === 'th' && t.attributes.scope === 'row' && !t.closing);
    const rowText = rows.map((t) => textOf(innerHtml(html, tags, t)).replace(/[\u2068\u2069]/g, ''));
    for (const column of drifting.drift?.columns ?? []) {
      expect(rowText).toContain(column.column);
      const row = tags.find(
        (t) =>
          t.name === 'tr' &&
          !t.closing &&
          innerHtml(html, tags, t).includes(`>\u2068${column.column}\u2069<`),
      );
      const cells = textOf(innerHtml(html, tags, row as Tag));
      expect(cells).toContain(column.drifted ? 'Drifted' : 'No drift');
      expect(cells).toContain(column.test === 'ks' ? 'Kolmogorov–Smirnov' : 'chi-square');
    }
    const headings = tags
      .filter((t) => t.name === 'h3' && !t.closing)
      .map((t) => textOf(innerHtml(html, tags, t)));
    expect(headings).toHaveLength(irisColumns.length);
    for (const [i, spec] of irisColumns.entries()) expect(headings[i]).toContain(spec.name);
    const headers = tags.filter((t) => t.name === 'th' && t.attributes.scope === 'col');
    expect(headers.length).toBeGreaterThanOrEqual(10);
  });

  it('draws each histogram with bars proportional to the data, reference and current on one scale', () => {
    const drawn = charts(html);
    expect(drawn).toHaveLength(drifting.histograms.length);
    drifting.histograms.forEach((h, i) => {
      const chart = drawn[i];
      const numeric = h.edges !== null;
      const max = Math.max(...h.reference, ...h.current);
      const longest = Math.max(
        ...[...(chart?.bars.ref ?? []), ...(chart?.bars.cur ?? [])].map((b) => length(b, numeric)),
      );
      expectProportional(chart?.bars.ref ?? [], h.reference, numeric, longest / max);
      expectProportional(chart?.bars.cur ?? [], h.current, numeric, longest / max);
      const svgTitle = chart?.tags.find((t) => t.name === 'title');
      expect(svgTitle).toBeDefined();
    });
    // The shift is visible: the current petal lengths sit in bins the reference barely uses.
    const petal = drifting.histograms.find((h) => h.column === 'petal_length') as ColumnHistogram;
    const overlap = petal.reference.reduce((sum, p, i) => sum + Math.min(p, petal.current[i] ?? 0), 0);
    expect(overlap).toBeLessThan(0.6);
  });

  it('shows the prediction summary, the labels and how the tests are chosen', () => {
    const text = textOf(html);
    const p = drifting.prediction;
    expect(text).toContain(`Most frequent prediction\u2068${p?.topClass}\u2069`);
    expect(text).toContain(`Unique predictions per row${((p?.uniqueRatio ?? 0) * 100).toFixed(1)}%`);
    expect(text).toContain('Mean top-class confidence0.91');
    expect(text).toContain('Accuracy87.5%');
    expect(text).toContain('F10.8612');
    expect(text).toContain('How the tests are chosen');
    expect(text).toContain('N > 1,000, more than 5 distinct');
  });

  it('is the same bytes for the same input', () => {
    expect(renderDriftReport(structuredClone(input))).toBe(html);
  });
});

describe('the drift report without drift', () => {
  it('says the version has no reference data', () => {
    const html = renderDriftReport({ summary: { ...drifting, drift: null }, reference: null, generatedAt });
    expect(textOf(html)).toContain('No drift computed: this version has no reference data');
    expect(tagsOf(html).some((t) => t.name === 'caption' && textOf(html).includes('Drift per column'))).toBe(
      false,
    );
    expect(
      driftReportJson({ summary: { ...drifting, drift: null }, reference: null, generatedAt })
        .driftUnavailable,
    ).toBe('no_reference');
  });

  it('says when the window was too small, and when a window saw nothing', () => {
    const empty: WindowSummary = {
      ...drifting,
      drift: null,
      histograms: [],
      prediction: null,
      rows: 0,
      requests: 0,
      labels: { count: 0, accuracy: null, f1: null },
    };
    const html = renderDriftReport({ summary: empty, reference, generatedAt });
    const text = textOf(html);
    expect(text).toContain('the window had too few rows for the drift tests');
    expect(text).toContain('No histogram was kept for this window.');
    expect(text).toContain('No prediction was recorded for this window.');
    expect(text).toContain('No ground-truth label has been posted for this window yet.');
    expect(unbalancedTags(tagsOf(html))).toEqual([]);
  });
});

/** Values an attacker can choose: a model name, a dataset's column names, the categories in traffic. */
const hostile = {
  script: '<script>alert(1)</script>',
  attribute: '" onmouseover="alert(1)" x="',
  svg: '</svg><svg onload=alert(1)><title>',
  rtl: 'amount\u202Efdp.exe\u2069\u202B',
  controls: 'nul\u0000bell\u0007del\u007f',
  long: `petal_${'x'.repeat(5_000)}`,
};

/** The drifting window with every user-chosen string replaced: the model, the columns and a category. */
function hostileWindow(names: string[], category: string, model: string): DriftReportInput {
  const rename = (name: string) => names[irisColumns.findIndex((c) => c.name === name)] ?? name;
  const summary: WindowSummary = {
    ...drifting,
    model,
    environment: model,
    drift: drifting.drift && {
      ...drifting.drift,
      columns: drifting.drift.columns.map((c) => ({ ...c, column: rename(c.column) })),
    },
    histograms: drifting.histograms.map((h) => ({
      ...h,
      column: rename(h.column),
      labels: h.labels === null ? null : h.labels.map((label, i) => (i === 0 ? category : label)),
    })),
    prediction: drifting.prediction && { ...drifting.prediction, topClass: category },
  };
  return { summary, reference, generatedAt };
}

describe('hostile names in the drift report', () => {
  const names = [hostile.script, hostile.attribute, hostile.svg, hostile.long, hostile.rtl];
  const html = renderDriftReport(hostileWindow(names, hostile.svg + hostile.controls, hostile.script));
  const benign = renderDriftReport(hostileWindow(['a', 'b', 'c', 'd', 'e'], 'f', 'g'));
  const skeleton = (doc: string) =>
    tagsOf(doc)
      .filter((t) => t.name !== 'span' || t.attributes.class !== 'name')
      .map((t) => `${t.closing ? '/' : ''}${t.name}`);

  it('adds no element and no attribute: the tags are those of the same report with plain names', () => {
    expect(unbalancedTags(tagsOf(html))).toEqual([]);
    expect(skeleton(html)).toEqual(skeleton(benign));
    const attributes = (doc: string) => new Set(tagsOf(doc).flatMap((t) => Object.keys(t.attributes)));
    expect(attributes(html)).toEqual(new Set([...attributes(benign), 'title']));
  });

  it('shows each value as escaped text, never as markup', () => {
    for (const value of [hostile.script, hostile.attribute, hostile.svg]) expect(html).not.toContain(value);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot; onmouseover=&quot;alert(1)&quot; x=&quot;');
    expect(html).toContain('&lt;/svg&gt;&lt;svg onload=alert(1)&gt;&lt;title&gt;');
    expect(textOf(html)).toContain(`Drift report: \u2068${hostile.script}\u2069 version 2`);
  });

  it('isolates right-to-left text and shows bidi controls instead of obeying them', () => {
    expect(html).not.toMatch(/[\u202A-\u202E\u2066\u2067]/);
    expect(html).toContain('amount[U+202E]fdp.exe[U+2069][U+202B]');
    // Every isolate the report opens, it closes: no user string can leave one open.
    expect(html.split('\u2068').length).toBe(html.split('\u2069').length);
  });

  it('replaces control characters', () => {
    for (const control of ['\u0000', '\u0007', '\u007f']) expect(html).not.toContain(control);
    expect(html).toContain('nul\uFFFDbell\uFFFDdel\uFFFD');
  });

  it('cuts very long names for display and keeps up to 1,000 characters in the tooltip', () => {
    expect(html).not.toContain(hostile.long.slice(0, 1_001));
    const shown = `petal_${'x'.repeat(73)}…`;
    expect(html).toContain(`\u2068${shown}\u2069`);
    const titled = tagsOf(html).filter((t) => t.attributes.title?.startsWith('\u2068petal_x'));
    expect(titled.length).toBeGreaterThan(0);
    for (const t of titled) expect(Array.from(t.attributes.title ?? '')).toHaveLength(1_002);
  });

  it('shows 10,000 categories as the most frequent ones plus one bar for the rest, with a note', () => {
    const labels = Array.from({ length: 10_000 }, (_, i) => `<b>cat${i}</b>`);
    const weights = labels.map((_, i) => (i % 97) + 1);
    const total = weights.reduce((a, b) => a + b, 0);
    const histogram: ColumnHistogram = {
      column: 'merchant',
      edges: null,
      labels,
      reference: weights.map((w) => w / total),
      current: weights.map((w, i) => (w / total) * 0.5 + (i === 9_999 ? 0.5 : 0)),
    };
    const summary = { ...drifting, histograms: [histogram] };
    const html = renderDriftReport({ summary, reference, generatedAt });
    expect(html.length).toBeLessThan(200_000);
    expect(textOf(html)).toContain(
      `Showing the ${reportCategoryLimit} categories with the largest shares of 10,000; the other 9,950 are summed as one bar.`,
    );
    const [chart] = charts(html);
    expect(chart?.bars.ref).toHaveLength(reportCategoryLimit + 1);
    expect(html).toContain('&lt;b&gt;cat9999&lt;/b&gt;');
    const doc = driftReportJson({ summary, reference, generatedAt });
    const shown = doc.histograms[0];
    expect(shown?.labels).toHaveLength(reportCategoryLimit);
    expect(shown?.labels).toContain('<b>cat9999</b>');
    expect(shown?.omitted?.categories).toBe(9_950);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(shown?.reference ?? []) + (shown?.omitted?.reference ?? 0)).toBeCloseTo(1, 12);
    expect(sum(shown?.current ?? []) + (shown?.omitted?.current ?? 0)).toBeCloseTo(1, 12);
  });
});

describe('the drift report as JSON', () => {
  const doc = driftReportJson(input);

  it('is plain JSON data with a schema version, in a fixed key order, numbers as numbers', () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(Object.keys(doc)).toEqual([
      'schemaVersion',
      'generatedAt',
      'window',
      'reference',
      'drift',
      'driftUnavailable',
      'histograms',
      'prediction',
      'labels',
      'testSelection',
    ]);
    expect(doc.schemaVersion).toBe(1);
    expect(JSON.stringify(driftReportJson(structuredClone(input)))).toBe(JSON.stringify(doc));
    for (const c of doc.drift?.columns ?? []) {
      expect(typeof c.value).toBe('number');
      expect(c.noData).toBeNull();
    }
  });

  it('carries the same content as the summary it reports', () => {
    expect(doc.window.id).toBe(drifting.id);
    expect(doc.reference?.rows).toBe(irisRows.length);
    expect(doc.drift?.dataset).toEqual(drifting.drift?.dataset);
    expect(doc.drift?.columns.map((c) => [c.column, c.test, c.value, c.drifted])).toEqual(
      drifting.drift?.columns.map((c) => [c.column, c.test, c.value, c.drifted]),
    );
    expect(doc.histograms.map(({ omitted, ...h }) => h)).toEqual(drifting.histograms);
    expect(doc.prediction).toEqual(drifting.prediction);
    expect(doc.labels).toEqual(drifting.labels);
  });

  it('writes an infinite statistic as "Infinity": a category the reference never saw', () => {
    const unseen = windowOf(irisRows.map((row, i) => (i % 3 === 0 ? { ...row, species: 'unknown' } : row)));
    const species = driftReportJson({ summary: unseen, reference, generatedAt }).drift?.columns.find(
      (c) => c.column === 'species',
    );
    expect(species?.test).toBe('chisquare');
    expect(species?.statistic).toBe('Infinity');
    expect(species?.value).toBe(0);
    expect(JSON.parse(JSON.stringify(species))).toEqual(species);
    expect(textOf(renderDriftReport({ summary: unseen, reference, generatedAt }))).toContain('∞');
  });

  it('states the test selection rules that columnDrift applies', () => {
    expect(doc.testSelection).toHaveLength(8);
    for (const rule of doc.testSelection) {
      const n = rule.largeReference ? 1_001 : 1_000;
      for (const distinct of [rule.distinct.min, rule.distinct.max ?? rule.distinct.min + 100])
        expect(defaultDriftTest(rule.kind, n, distinct), rule.when).toBe(rule.test);
    }
  });

  it('marks a column with no values to compare, and the HTML says so', () => {
    const columns = (drifting.drift?.columns ?? []).map((c, i) =>
      i === 0 ? { ...c, noData: 'current' as const, drifted: false, value: 1, statistic: null } : c,
    );
    const summary = { ...drifting, drift: drifting.drift && { ...drifting.drift, columns } };
    expect(driftReportJson({ summary, reference, generatedAt }).drift?.columns[0]?.noData).toBe('current');
    expect(textOf(renderDriftReport({ summary, reference, generatedAt }))).toContain('No current values');
  });
});
