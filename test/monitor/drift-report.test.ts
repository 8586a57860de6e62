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
