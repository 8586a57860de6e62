import { describe, expect, it } from 'vitest';
import {
  type ColumnSample,
  checkPolicyDocument,
  driftPolicyWarnings,
  driftReportJson,
  ksTwoSample,
  normedWasserstein,
  psi,
  renderDriftReport,
  resolveDriftOptions,
  resolvePolicy,
} from '../../src/modules/monitor/index.js';
import { summarizeWindow } from '../../src/modules/monitor/windows/summarize-window.js';
import type { ClosedWindow } from '../../src/modules/monitor/windows/window-accumulator.js';
import { textOf } from './html-structure.js';
import { irisColumns, irisReference, irisRows, shifted } from './iris-window.js';

const [sepalLength, sepalWidth, petalLength, , species] = irisColumns as [
  (typeof irisColumns)[0],
  (typeof irisColumns)[0],
  (typeof irisColumns)[0],
  (typeof irisColumns)[0],
  (typeof irisColumns)[0],
];

describe('drift policy validation', () => {
  it('accepts a full drift section', () => {
    expect(
      checkPolicyDocument({
        drift: {
          test: 'psi',
          threshold: 0.2,
          numeric: { test: 'wasserstein', threshold: 1.5 },
          categorical: { test: 'jensenshannon' },
          columns: { petal_length: { test: 'ks', threshold: 0.01 }, species: { threshold: 0.3 } },
        },
      }),
    ).toEqual([]);
    expect(checkPolicyDocument({ drift: { numeric: { test: 'ks' } } })).toEqual([]);
    // A global numeric-only test is fine when the categorical columns have their own.
    expect(checkPolicyDocument({ drift: { test: 'ks', categorical: { test: 'chisquare' } } })).toEqual([]);
  });

  it('reports each bad value at its path', () => {
    expect(
      checkPolicyDocument({
        drift: {
          test: 'ks',
          threshold: 2,
          numeric: { test: 'anderson', threshold: 0 },
          categorical: { test: 'wasserstein', colour: 'red' },
          columns: {
            petal_length: { test: 'psi', threshold: 'high' },
            sepal_width: { threshold: 1.5 },
            species: 3,
          },
          bonferroni: true,
        },
      }),
    ).toEqual([
      {
        path: 'drift.test',
        message:
          'ks compares numbers only and this setting reaches categorical columns (set it under drift.numeric, or set drift.categorical.test too)',
      },
      {
        path: 'drift.threshold',
        message: expect.stringMatching(/^must be at most 1: it may go with a p-value test \(ks\)/),
      },
      {
        path: 'drift.bonferroni',
        message: 'is not a drift setting (test, threshold, numeric, categorical, columns)',
      },
      {
        path: 'drift.numeric.test',
        message: 'must be one of ks, chisquare, z, wasserstein, jensenshannon, psi',
      },
      { path: 'drift.numeric.threshold', message: 'must be a finite number above 0' },
      {
        path: 'drift.categorical.test',
        message: 'wasserstein compares numbers only and this setting reaches categorical columns',
      },
      { path: 'drift.categorical.colour', message: 'is not a drift setting (test, threshold)' },
      { path: 'drift.columns.petal_length.threshold', message: 'must be a finite number above 0' },
      { path: 'drift.columns.sepal_width.threshold', message: expect.stringMatching(/^must be at most 1/) },
      { path: 'drift.columns.species', message: 'must be an object' },
    ]);
    expect(checkPolicyDocument({ drift: [] })).toEqual([{ path: 'drift', message: 'must be an object' }]);
    expect(checkPolicyDocument({ drift: { columns: 'all' } })).toEqual([
      { path: 'drift.columns', message: 'must be an object' },
    ]);
  });

  it('refuses a numeric-only test on a column the live reference knows is categorical', () => {
    const policy = { drift: { columns: { species: { test: 'ks' }, petal_length: { test: 'ks' } } } };
    expect(checkPolicyDocument(policy)).toEqual([]);
    expect(checkPolicyDocument(policy, irisColumns)).toEqual([
      {
        path: 'drift.columns.species.test',
        message: 'ks compares numbers only and this setting reaches categorical columns',
      },
    ]);
  });

  it('warns of column names the live reference lacks or does not test, accepting them', () => {
    const drift = { columns: { petal_lenght: { test: 'psi' as const }, petal_length: {} } };
    expect(driftPolicyWarnings(drift, irisColumns)).toEqual([
      {
        path: 'drift.columns.petal_lenght',
        message: expect.stringContaining("is not a column of the live version's reference (sepal_length,"),
      },
    ]);
    const ignored = irisColumns.map((c) =>
      c.name === 'petal_length' ? { ...c, role: 'ignored' as const } : c,
    );
    expect(driftPolicyWarnings({ columns: { petal_length: {} } }, ignored)).toEqual([
      { path: 'drift.columns.petal_length', message: 'is a column monitoring does not test (role ignored)' },
    ]);
    expect(driftPolicyWarnings(drift, null)).toEqual([
      {
        path: 'drift.columns',
        message: 'not checked: no live version of this deployment has reference data',
      },
    ]);
    expect(driftPolicyWarnings(undefined, null)).toEqual([]);
  });
});

describe('drift policy precedence: column > kind > global > default', () => {
  const policy = {
    test: 'psi' as const,
    threshold: 0.3,
    numeric: { threshold: 0.2 },
    categorical: { test: 'jensenshannon' as const },
    columns: { petal_length: { test: 'ks' as const }, sepal_width: { threshold: 0.15 } },
  };

  it('takes each of test and threshold from the most specific level that sets it', () => {
    expect(resolveDriftOptions(null, sepalLength)).toEqual({});
    expect(resolveDriftOptions({}, sepalLength)).toEqual({});
    // Global test; the numeric kind's threshold is more specific than the global one.
    expect(resolveDriftOptions(policy, sepalLength)).toEqual({
      test: 'psi',
      threshold: 0.2,
      chosenBy: { test: 'global', threshold: 'kind' },
    });
    expect(resolveDriftOptions(policy, sepalWidth)).toEqual({
      test: 'psi',
      threshold: 0.15,
      chosenBy: { test: 'global', threshold: 'column' },
    });
    // The kind's test: the global threshold was set for the global test, not this one.
    expect(resolveDriftOptions(policy, species)).toEqual({
      test: 'jensenshannon',
      chosenBy: { test: 'kind' },
    });
    // Forced to KS on the column: the kind's and global thresholds (meant for PSI) do not follow.
    expect(resolveDriftOptions(policy, petalLength)).toEqual({ test: 'ks', chosenBy: { test: 'column' } });
    expect(resolveDriftOptions({ threshold: 0.01 }, petalLength)).toEqual({
      threshold: 0.01,
      chosenBy: { threshold: 'global' },
    });
  });

  it('passes over a test the column kind cannot take, and a threshold its test cannot take', () => {
    // The policy was set when `species` was numeric; a later version made it categorical.
    expect(resolveDriftOptions({ columns: { species: { test: 'ks', threshold: 0.01 } } }, species)).toEqual({
      threshold: 0.01,
      chosenBy: { threshold: 'column' },
    });
    expect(resolveDriftOptions({ threshold: 2 }, sepalLength)).toEqual({});
    expect(resolveDriftOptions({ test: 'psi', threshold: 2 }, sepalLength)).toEqual({
      test: 'psi',
      threshold: 2,
      chosenBy: { test: 'global', threshold: 'global' },
    });
  });

  it("reads only the policy's own column entries, whatever a column is called", () => {
    const named = (name: string) => ({ ...sepalLength, name });
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(resolveDriftOptions({ columns: {} }, named(name))).toEqual({});
    const own = JSON.parse('{"columns": {"__proto__": {"test": "psi"}}}');
    expect(resolveDriftOptions(own, named('__proto__'))).toEqual({
      test: 'psi',
      chosenBy: { test: 'column' },
    });
  });

  it('is part of the resolved monitor policy', () => {
    expect(resolvePolicy({ drift: policy }).drift).toEqual(policy);
  });
});

describe('a window closed under a drift policy (iris)', () => {
  // A reference of 5,000 values per column (the sample kept is iris's 120): Evidently's default for the
  // numeric columns is then the normed Wasserstein distance, so KS here is the policy's doing.
  const base = irisReference();
  const reference = {
    ...base,
    samples: Object.fromEntries(Object.entries(base.samples).map(([n, s]) => [n, { ...s, count: 5_000 }])),
  };
  const current = shifted({ petal_length: 2 });
  const samples = Object.fromEntries(
    irisColumns.map((spec) => {
      const raw = current.map((row) => row[spec.name] ?? '');
      const values = spec.kind === 'numeric' ? raw.map(Number) : raw;
      return [spec.name, { kind: spec.kind, count: values.length, missing: 0, values } as ColumnSample];
    }),
  );
  const closed: ClosedWindow = {
    ...{ model: 'iris', version: 2, digest: `sha256:${'ab'.repeat(32)}`, start: 0, end: 1000 },
    ...{ closedBy: 'count', requests: irisRows.length, rows: irisRows.length, columns: irisColumns },
    ...{ samples, prediction: null, predictions: [] },
  };
  const drift = {
    numeric: { threshold: 0.2 },
    columns: {
      petal_length: { test: 'psi' as const, threshold: 0.25 },
      sepal_width: { test: 'ks' as const },
    },
  };
  const summary = summarizeWindow(closed, { environment: 'production', reference, minRows: 30, drift });
  const column = (name: string) => summary.drift?.columns.find((c) => c.column === name);
  const values = (name: string) =>
    [reference.samples[name]?.values as number[], samples[name]?.values as number[]] as const;

  it('runs PSI on one column and KS on another, with the verdicts those tests give', () => {
    const [refPetal, curPetal] = values('petal_length');
    const petal = column('petal_length');
    expect(petal).toMatchObject({
      test: 'psi',
      threshold: 0.25,
      chosenBy: { test: 'column', threshold: 'column' },
    });
    expect(petal?.value).toBe(psi(refPetal, curPetal).distance);
    expect(petal?.drifted).toBe(psi(refPetal, curPetal).distance >= 0.25);
    expect(petal?.drifted).toBe(true);

    const [refSepal, curSepal] = values('sepal_width');
    const sepal = column('sepal_width');
    const ks = ksTwoSample(refSepal, curSepal);
    expect(sepal).toMatchObject({ test: 'ks', threshold: 0.05, chosenBy: { test: 'column' } });
    expect(sepal?.value).toBe(ks.pValue);
    expect(sepal?.statistic).toBe(ks.statistic);
    expect(sepal?.drifted).toBe(ks.pValue <= 0.05);
    expect(sepal?.drifted).toBe(false);

    // The numeric kind's threshold on Evidently's default test for a large reference.
    const [refLength, curLength] = values('sepal_length');
    expect(column('sepal_length')).toMatchObject({
      test: 'wasserstein',
      threshold: 0.2,
      value: normedWasserstein(refLength, curLength).distance,
      chosenBy: { threshold: 'kind' },
    });
    expect(column('species')?.chosenBy).toBeUndefined();
    expect(column('species')?.test).toBe('jensenshannon');
  });

  it("makes the report say which choices were the policy's", () => {
    const doc = driftReportJson({ summary, reference, generatedAt: '2026-12-07T15:00:00.000Z' });
    expect(doc.drift?.columns.map((c) => [c.column, c.chosenBy])).toEqual([
      ['sepal_length', { test: 'default', threshold: 'kind' }],
      ['sepal_width', { test: 'column', threshold: 'default' }],
      ['petal_length', { test: 'column', threshold: 'column' }],
      ['petal_width', { test: 'default', threshold: 'kind' }],
      ['species', { test: 'default', threshold: 'default' }],
    ]);
    const text = textOf(
      renderDriftReport({ summary, reference, generatedAt: '2026-12-07T15:00:00.000Z' }),
    ).replace(/[\u2068\u2069]/g, '');
    expect(text).toContain("The deployment's monitor policy chose instead of these rules for 4 columns");
    expect(text).toContain(
      "petal_length: PSI by the column's own setting, threshold 0.25 by the column's own setting",
    );
    expect(text).toContain(
      "sepal_width: Kolmogorov–Smirnov by the column's own setting, the test's default threshold 0.05",
    );
    expect(text).toContain(
      'sepal_length: Wasserstein (normed) by the default rules, threshold 0.2 by the numeric columns',
    );
    expect(text).toContain('set by policy');
    const plain = summarizeWindow(closed, { environment: 'production', reference, minRows: 30 });
    expect(plain.drift?.columns.every((c) => c.chosenBy === undefined)).toBe(true);
    const plainText = textOf(
      renderDriftReport({ summary: plain, reference, generatedAt: '2026-12-07T15:00:00.000Z' }),
    );
    expect(plainText).not.toContain('set by policy');
    expect(plainText).not.toContain('monitor policy chose');
  });
});
