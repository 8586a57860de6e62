// The console's performance goals (issue 12), measured in one run against `warden serve` from the build:
//
//   initial JS     gzip -9 (and brotli) of what dist/web/index.html loads before the first render: its
//                  entry module, modulepreloads and their static imports (lazy chunks listed apart); ≤ 250 kB
//   /models        navigation to the first table row with 10,000 models in the registry; ≤ 1 s
//   /audit         navigation to the first table row with 100,000 audit entries; ≤ 1 s
//
// Pages are timed in headless Chromium, signed in with a console session, from the start of `page.goto`
// to the first row visible: cold (a new context, empty cache) and warm (the same page navigated again).
// Baselines from the same run: the same browser's fetch + JSON parse of the API page behind each table
// (what the console adds over the raw API), and that API call's time from Node (the server's share).
//
// Usage: npm run build && npm run bench:console [-- --runs 5 --models 10000 --audit 100000 --postgres URL]
//        [--pages models,audit] [--api-runs 20]
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hasChromium, launchBrowser } from '../test/browser/browser.js';
import { median, repoRoot, requireBuild } from './bench-utils.js';
import { measureBundle } from './console-bundle.js';
import { measurePages, type PageCase } from './console-pages.js';
import { startSeededWarden } from './console-seed.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'api-runs': { type: 'string', default: '20' },
    models: { type: 'string', default: '10000' },
    audit: { type: 'string', default: '100000' },
    postgres: { type: 'string' },
    pages: { type: 'string', default: 'models,audit' },
  },
});
const runs = Number(opts.runs);
const apiRuns = Number(opts['api-runs']);

requireBuild();
const distWeb = path.join(repoRoot, 'dist', 'web');
if (!existsSync(path.join(distWeb, 'index.html'))) {
  console.error('Build the console first: npm run build');
  process.exit(1);
}

/** The nearest-rank percentile. */
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? Number.NaN;
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
const ms = (v: number) => `${v.toFixed(0)} ms`;
const loadAvg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

console.log(
  `bench:console: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), shared by the server, ` +
    `Chromium and this script; load average ${loadAvg()}`,
);

// 1. The initial JavaScript.
const bundle = measureBundle(distWeb);
const sum = (assets: { gzip: number }[], key: 'bytes' | 'gzip' | 'brotli') =>
  assets.reduce((a, f) => a + (f as Record<typeof key, number>)[key], 0);
if (
  !bundle.initial.some((f) =>
    readFileSync(path.join(distWeb, f.file), 'utf8').includes('Minified React error'),
  )
)
  console.log(
    'WARNING: dist/web holds a development build of React (built with NODE_ENV set?): npm run build',
  );
console.log(
  '\nScripts index.html loads before the first render (entry, modulepreloads, their static imports):',
);
for (const f of bundle.initial)
  console.log(
    `  ${f.file.padEnd(40)} ${kB(f.bytes).padStart(10)}  gzip ${kB(f.gzip).padStart(9)}  br ${kB(f.brotli).padStart(9)}`,
  );
console.log(`Loaded on demand (${bundle.lazy.length}):`);
for (const f of bundle.lazy)
  console.log(
    `  ${f.file.padEnd(40)} ${kB(f.bytes).padStart(10)}  gzip ${kB(f.gzip).padStart(9)}  br ${kB(f.brotli).padStart(9)}`,
  );
for (const f of bundle.css) console.log(`  (stylesheet ${f.file}: gzip ${kB(f.gzip)})`);

// 2. The data, then the server on it.
let t = performance.now();
const server = await startSeededWarden({
  models: Number(opts.models),
  auditEntries: Number(opts.audit),
  ...(opts.postgres ? { postgresUrl: opts.postgres } : {}),
});
console.log(
  `\nSeeded ${server.backend} in ${((performance.now() - t) / 1000).toFixed(1)} s: ${Object.entries(
    server.timings,
  )
    .map(([k, s]) => `${k} ${s.toFixed(1)} s`)
    .join(', ')}`,
);

const allCases: PageCase[] = [
  // The pages' own page sizes (web/src/models/models-queries.ts, web/src/audit/audit-page.tsx).
  { name: 'models', path: '/models', api: '/api/v1/models?limit=25', row: 'main table tbody tr' },
  { name: 'audit', path: '/audit', api: '/api/v1/audit?limit=50', row: 'main table tbody tr' },
];
const cases = allCases.filter((c) => opts.pages.split(',').includes(c.name));
const problems: string[] = [];
const browser = hasChromium ? await launchBrowser() : null;
try {
  // The API alone, from Node: the server's time for each table's call.
  const serverTimes = new Map<string, number[]>();
  for (const c of cases) {
    const times: number[] = [];
    for (let i = 0; i < apiRuns + 2; i++) {
      t = performance.now();
      const res = await fetch(`${server.url}${c.api}`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      await res.json();
      if (!res.ok) throw new Error(`${c.api}: ${res.status}`);
      if (i >= 2) times.push(performance.now() - t); // two warm-up calls
    }
    serverTimes.set(c.name, times);
  }

  const pages = browser
    ? await measurePages(browser, server.url, server.token, cases, runs, (p) => problems.push(p))
    : null;
  if (!browser) console.log('\nSKIPPED the browser cases: no Chromium at /usr/bin/chromium');

  // 3. The table.
  const rows: string[][] = [['metric', 'median', 'p90', 'goal', 'verdict']];
  const initialGzip = sum(bundle.initial, 'gzip');
  rows.push([
    'initial JS, gzip -9',
    kB(initialGzip),
    '',
    '≤ 250 kB',
    initialGzip <= 250_000 ? 'met' : 'MISSED',
  ]);
  rows.push(['initial JS, brotli', kB(sum(bundle.initial, 'brotli')), '', '', '']);
  rows.push(['initial JS, uncompressed', kB(sum(bundle.initial, 'bytes')), '', '', '']);
  for (const c of cases) {
    const s = pages?.get(c.name);
    const api = serverTimes.get(c.name) ?? [];
    const what = c.name === 'models' ? `${opts.models} models` : `${opts.audit} entries`;
    if (s) {
      const raw = median(s.rawFetch);
      for (const kind of ['cold', 'warm'] as const) {
        const m = median(s[kind]);
        rows.push([
          `${c.path} (${what}), ${kind}`,
          `${ms(m)} (${(m / raw).toFixed(1)}x raw)`,
          ms(percentile(s[kind], 90)),
          '≤ 1000 ms',
          m <= 1000 ? 'met' : 'MISSED',
        ]);
      }
      for (const kind of ['cold', 'warm'] as const) {
        const inPage = s[`${kind}InPage`];
        rows.push([
          `  ${kind}, in the page: navigation start to row`,
          ms(median(inPage)),
          ms(percentile(inPage, 90)),
          '',
          '',
        ]);
      }
      rows.push([`  baseline: fetch ${c.api} in the page`, ms(raw), ms(percentile(s.rawFetch, 90)), '', '']);
    }
    rows.push([
      `  server: ${c.api} from Node`,
      `${median(api).toFixed(1)} ms`,
      `${percentile(api, 90).toFixed(1)} ms`,
      '',
      '',
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  console.log(`\n${runs} rounds in the browser (interleaved), ${apiRuns} API calls from Node; medians`);
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
  if (problems.length > 0) console.log(`\nPage errors:\n  ${problems.join('\n  ')}`);
  console.log(`\nload average at the end: ${loadAvg()}`);
} finally {
  await browser?.close();
  await server.stop();
}
