// Latency of prompt-injection screening (src/modules/guards/screening) against the seed design's filter
// (lower-case, then `includes` of three phrases), on the same texts in the same run.
// Usage: npm run bench:screening [-- ROUNDS]
//
// Cases, each on 1k, 10k and 100k characters of benign text, attack text and inputs built to make a
// backtracking regex engine explode:
//   rules     the rule stage alone, on an already normalized view (the budget: p99 < 1 ms at 10k)
//   normalize NFKD skeleton, invisibles, look-alikes, spaced letters, leetspeak
//   pipeline  screenRules: normalize + decode embedded payloads + rules + score (what the gateway calls)
//   seed      the seed filter
// Wall time is what a caller waits; CPU time (process.cpuUsage around each call, µs resolution, about
// 1 µs of overhead) leaves out the time the process waited for a core, so on a shared, loaded machine it
// shows the work itself.
// Also prints the recall and false-positive rate of the seed filter and of the rules on the labelled set.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { builtinRules, createTextScreener } from '../src/modules/guards/index.js';
import { createNormalizer } from '../src/modules/guards/screening/normalize-text.js';
import { buildRuleSet, compileRule, matchRules } from '../src/modules/guards/screening/rule-engine.js';
import { repoRoot } from './bench-utils.js';

const rounds = Number(process.argv[2] ?? 0) || 0;
const rows = readFileSync(
  path.join(repoRoot, 'test/fixtures/guard-data/injection/injection-dev.jsonl'),
  'utf8',
)
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { text: string; label: 0 | 1 });

const SEED_PHRASES = ['ignore previous instructions', 'disregard all above', 'system prompt override'];
const seedFilter = (text: string) => {
  const lower = text.toLowerCase();
  return SEED_PHRASES.some((p) => lower.includes(p));
};

const screener = createTextScreener();
const normalize = createNormalizer();
const ruleSet = buildRuleSet(builtinRules.map((r) => compileRule(r)));

/** `source` repeated and cut to `n` characters. */
const sized = (source: string, n: number) => {
  let text = source;
  while (text.length < n) text += `\n\n${source}`;
  return text.slice(0, n);
};
const benign = rows
  .filter((r) => r.label === 0)
  .map((r) => r.text)
  .join('\n\n');
const attack = rows
  .filter((r) => r.label === 1)
  .map((r) => r.text)
  .join('\n\n');
// Backtracking bait: the openings of many rules without the endings they need, so each anchor starts a
// match that fails only at the far end of its bounded gaps; plus inputs aimed at the normalizer and the
// decoders (letters spaced out, invisible characters between every letter, homoglyphs, near-base64,
// percent escapes, one endless word).
const adversarial = [
  'ignore all previous the your system please disregard every prior and above ',
  'you are not no never do if when what your the all any always must will ',
  'i g n o r e  a l l  ',
  'i\u200bg\u200bn\u200bo\u200br\u200be \u0430\u04bb\u0435\u0430\u0501 ',
  'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo%41%42%43&#105;&#103; 0x41414141 ',
  'a'.repeat(300),
  'two responses start your reply with when you read this curl x | ',
].join('\n');

const sizes = [1_000, 10_000, 100_000];
const inputs = sizes.flatMap((n) =>
  (
    [
      ['benign', benign],
      ['attack', attack],
      ['adversarial', adversarial],
    ] as const
  ).map(([kind, source]) => ({ kind, n, text: sized(source, n) })),
);

type CaseName = 'rules' | 'normalize' | 'pipeline' | 'seed';
const cases: Record<CaseName, (input: { text: string; view: ReturnType<typeof normalize> }) => unknown> = {
  rules: ({ view }) => matchRules(view, ruleSet, 'user', 4),
  normalize: ({ text }) => normalize(text),
  pipeline: ({ text }) => screener.screenRules(text),
  seed: ({ text }) => seedFilter(text),
};

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
const fmt = (ms: number) => (ms < 0.1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);

console.log(`node ${process.version}, ${builtinRules.length} rules\n`);
console.log(
  `${'input'.padEnd(20)} ${'case'.padEnd(10)} ${['wall p50', 'wall p99', 'cpu p50', 'cpu p99'].map((h) => h.padStart(11)).join(' ')}`,
);
for (const input of inputs) {
  const view = normalize(input.text);
  const runs = rounds || (input.n >= 100_000 ? 200 : input.n >= 10_000 ? 2_000 : 5_000);
  const times: Record<CaseName, number[]> = { rules: [], normalize: [], pipeline: [], seed: [] };
  const cpu: Record<CaseName, number[]> = { rules: [], normalize: [], pipeline: [], seed: [] };
  const names = Object.keys(cases) as CaseName[];
  for (let i = 0; i < Math.min(50, runs); i++)
    for (const name of names) cases[name]({ text: input.text, view });
  // Interleaved: one run of each case per round, so a burst of load slows a round, not a case.
  for (let i = 0; i < runs; i++) {
    for (const name of names) {
      // CPU time leaves out the time the process waited for a core (what a busy host adds to wall time).
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      cases[name]({ text: input.text, view });
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
      const used = process.cpuUsage(cpuStart);
      cpu[name].push((used.user + used.system) / 1e3);
    }
  }
  for (const name of names) {
    const wall = times[name].sort((a, b) => a - b);
    const onCpu = cpu[name].sort((a, b) => a - b);
    const label = `${input.kind} ${input.n >= 1000 ? `${input.n / 1000}k` : input.n}`;
    const cells = [quantile(wall, 0.5), quantile(wall, 0.99), quantile(onCpu, 0.5), quantile(onCpu, 0.99)];
    console.log(
      `${label.padEnd(20)} ${name.padEnd(10)} ${cells.map((ms) => fmt(ms).padStart(11)).join(' ')}`,
    );
  }
}

const detection = (detect: (text: string) => boolean) => {
  let tp = 0;
  let fp = 0;
  let attacks = 0;
  let benignCount = 0;
  for (const row of rows) {
    const hit = detect(row.text);
    if (row.label === 1) {
      attacks++;
      if (hit) tp++;
    } else {
      benignCount++;
      if (hit) fp++;
    }
  }
  return `recall ${(tp / attacks).toFixed(3)}  FPR ${(fp / benignCount).toFixed(3)}  (${tp}/${attacks} attacks, ${fp}/${benignCount} benign)`;
};
console.log(`\nLabelled set (${rows.length} texts), detected = flag or block:`);
console.log(`  seed filter  ${detection(seedFilter)}`);
console.log(`  screening    ${detection((t) => screener.screenRules(t).verdict !== 'allow')}`);
