import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  builtinRules,
  createTextScreener,
  normalizeForScreening,
  type TextOrigin,
} from '../../src/modules/guards/index.js';
import { buildRuleSet, compileRule, matchRules } from '../../src/modules/guards/screening/rule-engine.js';

/**
 * Precision, recall and false-positive rate of the rule stage on the labelled development set, overall
 * and per source and category, with the seed design's filter as the baseline. A text counts as detected
 * when the verdict is flag or block (the default thresholds: flag at 0.5, block at 0.85). The floors are
 * set a little below what the rules measure, so a change that loses ground fails here.
 */
interface Labelled {
  id: string;
  text: string;
  label: 0 | 1;
  source: string;
  category: string;
}
const fixture = (name: string) => new URL(`../fixtures/guard-data/injection/${name}`, import.meta.url);
const readJsonl = <T>(name: string): T[] =>
  readFileSync(fixture(name), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);

const dev = readJsonl<Labelled>('injection-dev.jsonl');
const hardNegatives = readJsonl<{ id: string; text: string; category: string }>('hard-negatives.jsonl');
const variants = readJsonl<{ id: string; text: string; label: 0 | 1; category: string }>(
  'attack-variants.jsonl',
);
const screener = createTextScreener();

/** The seed design's filter: three phrases, lower-cased substring match. */
const SEED_PHRASES = ['ignore previous instructions', 'disregard all above', 'system prompt override'];
const seedFilter = (text: string) => SEED_PHRASES.some((p) => text.toLowerCase().includes(p));

interface Counts {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
  blocked: number;
}
const empty = (): Counts => ({ tp: 0, fn: 0, fp: 0, tn: 0, blocked: 0 });
const precision = (c: Counts) => (c.tp + c.fp === 0 ? Number.NaN : c.tp / (c.tp + c.fp));
const recall = (c: Counts) => (c.tp + c.fn === 0 ? Number.NaN : c.tp / (c.tp + c.fn));
const fpr = (c: Counts) => (c.fp + c.tn === 0 ? Number.NaN : c.fp / (c.fp + c.tn));

function tally(
  rows: Labelled[],
  detect: (row: Labelled) => 'allow' | 'flag' | 'block',
  key: (r: Labelled) => string,
) {
  const groups = new Map<string, Counts>();
  const all = empty();
  for (const row of rows) {
    const verdict = detect(row);
    const hit = verdict !== 'allow';
    for (const c of [all, groups.get(key(row)) ?? (groups.set(key(row), empty()).get(key(row)) as Counts)]) {
      if (row.label === 1) hit ? c.tp++ : c.fn++;
      else hit ? c.fp++ : c.tn++;
      if (row.label === 1 && verdict === 'block') c.blocked++;
    }
  }
  return { all, groups };
}

const pct = (x: number) => (Number.isNaN(x) ? '   –  ' : `${(100 * x).toFixed(1).padStart(5)}%`);
function table(title: string, rows: [string, Counts][]): string {
  const head = `${'group'.padEnd(66)} attacks benign    TP   FN   FP  precision  recall  blocked     FPR`;
  const lines = rows.map(([name, c]) => {
    const attacks = c.tp + c.fn;
    const blocked = attacks === 0 ? Number.NaN : c.blocked / attacks;
    return `${name.padEnd(66)} ${String(attacks).padStart(7)} ${String(c.fp + c.tn).padStart(6)} ${String(c.tp).padStart(5)} ${String(c.fn).padStart(4)} ${String(c.fp).padStart(4)}     ${pct(precision(c))}  ${pct(recall(c))}   ${pct(blocked)}  ${pct(fpr(c))}`;
  });
  return [`\n${title}`, head, ...lines].join('\n');
}

const screen = (origin: TextOrigin) => (row: Labelled) => screener.screenRules(row.text, { origin }).verdict;
const user = tally(dev, screen('user'), (r) => `${r.source} | ${r.category}`);
const byCategory = tally(dev, screen('user'), (r) => r.category);
const seed = tally(
  dev,
  (r) => (seedFilter(r.text) ? 'block' : 'allow'),
  () => 'seed',
);
const bipia = dev.filter((r) => r.source.startsWith('bipia:'));
const bipiaUntrusted = tally(bipia, screen('untrusted'), (r) => `${r.source} | ${r.category}`);
const variantTally = tally(
  variants.map((v) => ({ ...v, source: 'warden:attack-variants' })),
  screen('user'),
  (r) => (r.label === 1 ? r.category : 'benign'),
);
const hard = tally(
  hardNegatives.map((h) => ({ ...h, label: 0 as const, source: 'warden:hard-negatives' })),
  screen('user'),
  (r) => r.category,
);

describe('text screening on the labelled development set', () => {
  it('prints the evaluation tables', () => {
    const sorted = (m: Map<string, Counts>) => [...m].sort(([a], [b]) => a.localeCompare(b));
    console.log(
      [
        table('Per source and category (origin user)', [...sorted(user.groups), ['ALL', user.all]]),
        table('Per category (origin user)', sorted(byCategory.groups)),
        table('BIPIA screened as untrusted content (a tool result, a retrieved document)', [
          ...sorted(bipiaUntrusted.groups),
          ['ALL BIPIA', bipiaUntrusted.all],
        ]),
        table('Hand-written hard negatives (all benign)', [...sorted(hard.groups), ['ALL', hard.all]]),
        table('Hand-written attack variants', [...sorted(variantTally.groups), ['ALL', variantTally.all]]),
        table(`Baseline: seed filter (${SEED_PHRASES.join(' | ')})`, [['ALL', seed.all]]),
      ].join('\n'),
    );
  });

  it('meets the overall floors, far above the seed filter', () => {
    expect(recall(user.all)).toBeGreaterThanOrEqual(0.84);
    expect(precision(user.all)).toBeGreaterThanOrEqual(0.97);
    expect(fpr(user.all)).toBeLessThanOrEqual(0.02);
    expect(recall(seed.all)).toBeLessThan(0.1);
  });

  it('meets per-category floors', () => {
    const floors: Record<string, number> = {
      jailbreak_dan: 1,
      jailbreak_inthewild: 0.8,
      jailbreak_tap: 0.66,
      goal_hijacking: 0.9,
      prompt_leaking: 0.85,
      prompt_extraction: 0.85,
      direct_injection: 0.8,
      indirect_injection: 0.8,
    };
    for (const [category, floor] of Object.entries(floors)) {
      const c = byCategory.groups.get(category);
      expect(c, category).toBeDefined();
      expect(recall(c as Counts), category).toBeGreaterThanOrEqual(floor);
    }
    for (const [category, c] of byCategory.groups) {
      if (c.fp + c.tn > 0) expect(fpr(c), category).toBeLessThanOrEqual(0.05);
    }
  });

  it('catches planted instructions in BIPIA content screened as untrusted, without flagging clean content', () => {
    expect(recall(bipiaUntrusted.all)).toBeGreaterThanOrEqual(0.68);
    expect(fpr(bipiaUntrusted.all)).toBeLessThanOrEqual(0.05);
  });

  it('lets most hand-written hard negatives through', () => {
    expect(fpr(hard.all)).toBeLessThanOrEqual(0.05);
  });

  it('catches most hand-written attack variants', () => {
    expect(recall(variantTally.all)).toBeGreaterThanOrEqual(0.85);
    expect(fpr(variantTally.all)).toBe(0);
  });

  it('finds the same rules anchored as scanning the whole text (the anchor lists miss no way in)', () => {
    const anchored = buildRuleSet(builtinRules.map((r) => compileRule(r)));
    const scanning = buildRuleSet(
      builtinRules.map((r) => compileRule(r, r.weight, undefined, { scan: true })),
    );
    const ids = (set: typeof anchored, text: string) =>
      [...new Set(matchRules(normalizeForScreening(text), set, 'user', 4).map((h) => h.id))].sort();
    for (const row of [...dev, ...hardNegatives, ...variants]) {
      expect(ids(anchored, row.text), row.id).toEqual(ids(scanning, row.text));
    }
  });
});
