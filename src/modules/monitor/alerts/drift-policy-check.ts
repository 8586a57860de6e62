import { type DriftPolicy, driftTestNames, numericOnlyTests, testFitsKind } from '../drift/drift-options.js';
import { pValueTests } from '../drift/drift-test-selection.js';
import type { ColumnKind, ColumnSpec, DriftTestName } from '../monitor.types.js';
import { monitoredColumns } from '../windows/column-values.js';

/** A problem (or, for a warning, a remark) about a policy document, at its path (`drift.numeric.test`). */
export interface PolicyProblem {
  path: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const maxColumns = 1_000;
const maxColumnName = 256;
const kinds: readonly ColumnKind[] = ['numeric', 'categorical'];

/** The test set at one level if it is a known test name (else undefined: unset or already reported). */
const testOf = (v: unknown): DriftTestName | undefined => {
  const test = isObject(v) ? v.test : undefined;
  return driftTestNames.includes(test as DriftTestName) ? (test as DriftTestName) : undefined;
};

/**
 * One level's `{test?, threshold?}`. `reach`: the kinds of column the level surely reaches; `paired`: every test
 * its threshold may go with (undefined stands for Evidently's default, which may be a p-value test).
 */
function checkLevel(
  path: string,
  v: unknown,
  reach: readonly ColumnKind[],
  paired: readonly (DriftTestName | undefined)[],
  problems: PolicyProblem[],
) {
  if (!isObject(v)) return problems.push({ path, message: 'must be an object' });
  for (const [key, value] of Object.entries(v)) {
    const at = path ? `${path}.${key}` : key;
    if (key === 'test') {
      if (!driftTestNames.includes(value as DriftTestName))
        problems.push({ path: at, message: `must be one of ${driftTestNames.join(', ')}` });
      else if (numericOnlyTests.has(value as DriftTestName) && reach.includes('categorical'))
        problems.push({
          path: at,
          message: `${value} compares numbers only and this setting reaches categorical columns${path === 'drift' ? ' (set it under drift.numeric, or set drift.categorical.test too)' : ''}`,
        });
    } else if (key === 'threshold') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
        problems.push({ path: at, message: 'must be a finite number above 0' });
      else if (value > 1 && paired.some((t) => t === undefined || pValueTests.has(t)))
        problems.push({
          path: at,
          message: `must be at most 1: it may go with a p-value test (${paired.map((t) => t ?? "Evidently's default").join(', ')}); a larger one needs a distance test (wasserstein, jensenshannon, psi) beside it`,
        });
    } else if (!(path === 'drift' && (key === 'numeric' || key === 'categorical' || key === 'columns')))
      problems.push({
        path: at,
        message: `is not a drift setting (test, threshold${path === 'drift' ? ', numeric, categorical, columns' : ''})`,
      });
  }
}

/**
 * Every problem of a policy's `drift` section from untrusted JSON. `columns`: the live versions' reference
 * columns when known, so that a test a known column's kind cannot take is refused; unknown names are not
 * problems (the policy outlives versions), `driftPolicyWarnings` reports them.
 */
export function checkDriftPolicy(
  v: unknown,
  columns: readonly ColumnSpec[] | null,
  problems: PolicyProblem[],
) {
  if (!isObject(v)) return problems.push({ path: 'drift', message: 'must be an object' });
  const global = testOf(v);
  const kindTest = (kind: ColumnKind) => testOf(v[kind]) ?? global;
  // The global test reaches the kinds without a (valid) test of their own.
  const reachOfGlobal = kinds.filter((k) => {
    const own = testOf(v[k]);
    return own === undefined || !testFitsKind(own, k);
  });
  checkLevel('drift', v, reachOfGlobal, [global], problems);
  for (const kind of kinds)
    if (v[kind] !== undefined) checkLevel(`drift.${kind}`, v[kind], [kind], [kindTest(kind)], problems);
  if (v.columns === undefined) return;
  if (!isObject(v.columns)) return problems.push({ path: 'drift.columns', message: 'must be an object' });
  const names = Object.keys(v.columns);
  if (names.length > maxColumns)
    problems.push({ path: 'drift.columns', message: `must name at most ${maxColumns} columns` });
  for (const name of names.slice(0, maxColumns)) {
    const path = `drift.columns.${name}`;
    if (name.length === 0 || name.length > maxColumnName) {
      problems.push({ path, message: `must be a column name of 1 to ${maxColumnName} characters` });
      continue;
    }
    const known = columns?.find((c) => c.name === name);
    // A column of unknown kind may take any test: if it turns out categorical, a numeric-only test is passed over.
    const own = testOf(v.columns[name]);
    const paired = own ? [own] : (known ? [known.kind] : kinds).map(kindTest);
    checkLevel(path, v.columns[name], known ? [known.kind] : [], paired, problems);
  }
}

/**
 * What a valid drift section may not do as meant, given the live versions' reference columns: names no
 * column has (accepted: a later version may have them), columns monitoring does not test, or, with no
 * columns known (no live version with reference data), that the names could not be checked.
 */
export function driftPolicyWarnings(
  drift: DriftPolicy | undefined,
  columns: readonly ColumnSpec[] | null,
): PolicyProblem[] {
  const names = Object.keys(drift?.columns ?? {});
  if (columns === null)
    return names.length === 0
      ? []
      : [
          {
            path: 'drift.columns',
            message: 'not checked: no live version of this deployment has reference data',
          },
        ];
  const known = columns.map((c) => c.name);
  return names.flatMap((name) => {
    const column = columns.find((c) => c.name === name);
    const path = `drift.columns.${name}`;
    if (!column)
      return [
        {
          path,
          message: `is not a column of the live version's reference (${known.join(', ')}); it applies once a version has it`,
        },
      ];
    if (monitoredColumns([column]).length === 0)
      return [{ path, message: `is a column monitoring does not test (role ${column.role})` }];
    return [];
  });
}
