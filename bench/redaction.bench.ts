// Output redaction (src/modules/guards/redaction) against the seed design's redactor (one regular expression
// each for e-mails, 16-digit cards and SSNs), on the same texts in the same run: latency per call (p50/p99)
// for 1 KB and 10 KB model outputs, dense with personal data and sparse, and each one's leak rate on the
// labelled PII set; and on text with no personal data at all. Usage: npm run bench:redaction [-- CALLS]
import { redactText } from '../src/modules/guards/redaction/index.js';
import { formatScores, loadPiiSet, scoreRedactor, seedRedact } from '../test/guards/pii-eval.js';
import { median } from './bench-utils.js';

const calls = Number(process.argv[2] ?? 2_000) || 2_000;
const records = loadPiiSet();

// Dense: the labelled records back to back (a card, a phone, an IBAN every few lines).
const dense = records.map((r) => r.text).join('\n');
// Sparse: what a chat answer mostly is — prose, code, numbers that are not personal data — with one e-mail
// and one phone number per KB.
const prose = [
  'The model reached 0.9734 accuracy after 12 epochs (batch size 256, learning rate 3e-4, seed 42).',
  'Install torch==2.3.1 and numpy>=1.26.4; CUDA 12.1 is required on the p4d.24xlarge instances.',
  '```python\nfor i, (x, y) in enumerate(loader):\n    loss = criterion(model(x), y)\n    print(i, loss.item())\n```',
  'Between 2019-01-01 and 2023-12-31 revenue grew from $1,234,567 to $2,345,678 (version 7.19.2 of the report).',
  'The digest sha256:9293d1bc9bf2ef3c337e09b1333e57b5830fd6601afcc47b601c312a0b3889df was deployed to 3 regions.',
  'Request c2653040-4ce7-4df8-b83f-4ebe759b38a4 took 231 ms; see ISBN 978-0-663-13525-7 for the background.',
  'Gradient checkpointing trades compute for memory: activations are recomputed in the backward pass.',
];
const sparseKb = (i: number) => {
  let s = '';
  for (let j = 0; s.length < 900; j++) s += `${prose[(i + j) % prose.length]} `;
  return `${s}Contact ops${i}@example.com or +44 20 7946 ${String(1000 + (i % 9000)).padStart(4, '0')}.\n`;
};
const sparse = Array.from({ length: 64 }, (_, i) => sparseKb(i)).join('');
// Clean: the same prose with no personal data at all (most answers), scanned once.
const clean = Array.from({ length: 640 }, (_, i) => prose[i % prose.length]).join(' ');

/** `count` different slices of `size` characters of `corpus` (the calls do not all see the same text). */
function slices(corpus: string, size: number, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((((i * 7919) % 997) / 997) * Math.max(1, corpus.length - size));
    const cut = corpus.indexOf(' ', start);
    const from = cut < 0 || cut - start > 40 ? start : cut + 1;
    out.push((corpus + corpus).slice(from, from + size));
  }
  return out;
}

type Redactor = (text: string) => string;
const cases: [string, Redactor][] = [
  ['seed regex (baseline)', seedRedact],
  ['warden redactText', (t) => redactText(t).text],
];

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};

console.log(`${calls} calls per case, interleaved (one call of each, round after round); times in µs`);
console.log(
  `\n${'input'.padEnd(16)} ${'what'.padEnd(24)} ${'p50 µs'.padStart(9)} ${'p99 µs'.padStart(9)} ${'MiB/s'.padStart(7)} ${'x p50'.padStart(7)}`,
);
for (const [label, corpus, size] of [
  ['1 KB dense', dense, 1024],
  ['10 KB dense', dense, 10 * 1024],
  ['1 KB sparse', sparse, 1024],
  ['10 KB sparse', sparse, 10 * 1024],
  ['1 KB clean', clean, 1024],
  ['10 KB clean', clean, 10 * 1024],
] as const) {
  const n = size > 4096 ? Math.max(200, Math.floor(calls / 4)) : calls;
  const texts = slices(corpus, size, n);
  for (const [, fn] of cases) for (const t of texts.slice(0, 200)) fn(t); // warm up the JIT
  const times = cases.map(() => [] as number[]);
  for (const t of texts) {
    cases.forEach(([, fn], i) => {
      const started = process.hrtime.bigint();
      fn(t);
      times[i]?.push(Number(process.hrtime.bigint() - started) / 1e3);
    });
  }
  const base = median(times[0] ?? [1]);
  cases.forEach(([what], i) => {
    const t = times[i] ?? [];
    const p50 = median(t);
    console.log(
      `${label.padEnd(16)} ${what.padEnd(24)} ${p50.toFixed(1).padStart(9)} ${pct(t, 99).toFixed(1).padStart(9)} ${(size / 1024 / 1024 / (p50 / 1e6)).toFixed(1).padStart(7)} ${`${(p50 / base).toFixed(1)}x`.padStart(7)}`,
    );
  });
}

const warden = scoreRedactor(records, (t) => redactText(t).text);
const seed = scoreRedactor(records, seedRedact);
console.log(`\nLeak rate per type and over-redaction on the labelled set (${records.length} records):\n`);
console.log(formatScores({ warden, 'seed regex': seed }));
