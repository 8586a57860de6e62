// Reference dataset ingestion (issue 13): how fast an upload is parsed and profiled, against the floor set
// by the bytes themselves, on one generated file (20 numeric + 3 categorical columns, a few missing cells):
//   read        fs.createReadStream draining the file (1 MiB chunks)
//   csv-parse   bare csv-parse streaming the file, nothing done per record (the baseline)
//   spool       our spool: the upload hashed (SHA-256) and copied to the private file
//   profile     our reader + buildProfile over the spooled file, as the reference service runs them
// and, with `--base DIR` (another checkout's src/, kept outside this tree, where lint would read it:
// `git archive <commit> src | tar -x -C /tmp/b && ln -s $PWD/node_modules /tmp/b/`, then `--base /tmp/b/src`),
// the same profile path from that code, for before/after in one run. `--formats csv,jsonl,parquet` adds the other
// readers (same rows). Each case runs in its own node process (peak RSS is that process's); its time is
// measured inside it, so start-up is not counted. Rounds are interleaved; medians of RUNS.
// Usage: npm run bench:reference [-- --mb 64 --runs 5 --formats csv --base /tmp/b/src]
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { benchDir, median, type Row, repoRoot, report } from './bench-utils.js';

const self = new URL(import.meta.url).pathname;
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
type Format = 'csv' | 'jsonl' | 'parquet';
const MiB = 1024 * 1024;

/** Seeded uniform draws (32-bit LCG), so every run generates the same file. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const numericColumns = Array.from({ length: 20 }, (_, i) => `f${i}`);
const categories = {
  colour: ['red', 'green', 'blue', 'amber', 'violet'],
  city: ['Paris', 'Lyon', 'Berlin', 'New York, NY', 'São Paulo', 'Zürich', 'Oslo'],
  segment: ['retail', 'wholesale', 'online', 'partner'],
};
const header = [...numericColumns, ...Object.keys(categories)];

/** One row: floats of a few magnitudes, some integers, ~1% missing (empty or NaN), three categories. */
function row(next: () => number): (number | string | null)[] {
  const cells: (number | string | null)[] = numericColumns.map((_, i) => {
    const u = next();
    if (u < 0.005) return null;
    if (i % 5 === 4) return Math.floor(next() * 1000);
    const scale = 10 ** ((i % 4) - 1);
    return Math.round((next() * 2 - 1) * scale * 1e6) / 1e6;
  });
  for (const values of Object.values(categories))
    cells.push(values[Math.floor(next() * values.length)] ?? null);
  return cells;
}

const csvCell = (v: number | string | null, n: number) =>
  v === null ? (n % 2 ? '' : 'NaN') : typeof v === 'string' && v.includes(',') ? `"${v}"` : String(v);

/** The CSV (and, asked for, the same rows as JSON Lines and Parquet) of about `mb` MiB, made once. */
async function ensureData(mb: number, formats: Format[]): Promise<Record<Format, string>> {
  const files = {
    csv: path.join(benchDir, `reference-${mb}.csv`),
    jsonl: path.join(benchDir, `reference-${mb}.jsonl`),
    parquet: path.join(benchDir, `reference-${mb}.parquet`),
  };
  if (formats.every((f) => existsSync(files[f]))) return files;
  const target = mb * MiB;
  const next = lcg(13);
  const csv = createWriteStream(files.csv);
  const jsonl = formats.includes('jsonl') ? createWriteStream(files.jsonl) : null;
  const columns: (number | string | null)[][] = header.map(() => []);
  csv.write(`${header.join(',')}\n`);
  let written = 0;
  let parts: string[] = [];
  let jparts: string[] = [];
  for (let n = 0; written < target; n++) {
    const r = row(next);
    const line = `${r.map((v) => csvCell(v, n)).join(',')}\n`;
    written += Buffer.byteLength(line);
    parts.push(line);
    if (jsonl) jparts.push(`${JSON.stringify(Object.fromEntries(header.map((h, i) => [h, r[i]])))}\n`);
    if (formats.includes('parquet')) for (const [i, v] of r.entries()) columns[i]?.push(v);
    if (parts.length === 4096) {
      if (!csv.write(parts.join(''))) await once(csv, 'drain');
      if (jsonl && !jsonl.write(jparts.join(''))) await once(jsonl, 'drain');
      parts = [];
      jparts = [];
    }
  }
  csv.end(parts.join(''));
  jsonl?.end(jparts.join(''));
  await Promise.all([once(csv, 'finish'), jsonl ? once(jsonl, 'finish') : null]);
  if (formats.includes('parquet')) {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const columnData = header.map((name, i) => ({
      name,
      data: columns[i] as (number | string | null)[],
      type: i < numericColumns.length ? ('DOUBLE' as const) : ('STRING' as const),
      nullable: true,
    }));
    writeFileSync(files.parquet, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: 100_000 })));
  }
  return files;
}

/** One case, in this process: prints {seconds, cpuSeconds} of the work alone. */
async function runCase(name: string, file: string, format: Format, src: string): Promise<void> {
  const { createDatasetSpool } = await import(path.join(src, 'adapters/datasets/dataset-spool.js'));
  const { buildProfile } = await import(path.join(src, 'modules/monitor/index.js'));
  const { parse } = await import('csv-parse');
  const spool = createDatasetSpool({ dir: path.join(benchDir, `spool-${process.pid}`) });
  const source = () => createReadStream(file, { highWaterMark: MiB });
  let spooled: { read(f: Format): Promise<unknown>; digest: string; discard(): Promise<void> } | null = null;
  if (name === 'profile') spooled = await spool.spool(source(), 2 * 1024 ** 3);
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (name === 'read') {
    for await (const _ of source());
  } else if (name === 'csv-parse') {
    const sink = new Writable({ objectMode: true, highWaterMark: 1024, write: (_r, _e, done) => done() });
    await pipeline(source(), parse(), sink);
  } else if (name === 'spool') {
    spooled = await spool.spool(source(), 2 * 1024 ** 3);
  } else if (name === 'profile' && spooled) {
    const profile = await buildProfile(await spooled.read(format), {
      format,
      digest: spooled.digest,
      signature: null,
      overrides: {},
      sampleSize: 20_000,
    });
    if (profile.rows === 0) throw new Error('no rows');
  } else throw new Error(`unknown case ${name}`);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await spooled?.discard();
  await spool.sweep();
  console.log(JSON.stringify({ seconds, cpuSeconds: (used.user + used.system) / 1e6 }));
}

/** Runs a case in a fresh node process under /usr/bin/time (peak RSS). */
function child(name: string, file: string, format: Format, src: string): Row {
  const res = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      '--import',
      'tsx',
      self,
      '--case',
      name,
      '--file',
      file,
      '--format',
      format,
      '--src',
      src,
    ],
    { encoding: 'utf8', cwd: repoRoot, maxBuffer: 16 * MiB },
  );
  if (res.status !== 0) throw new Error(`case ${name} failed (${res.status}): ${res.stderr}`);
  const measured = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}');
  const kib = Number(res.stderr.trim().split('\n').pop());
  return { label: name, seconds: measured.seconds, cpuSeconds: measured.cpuSeconds, maxRssMiB: kib / 1024 };
}

if (args.includes('--case')) {
  await runCase(flag('case', ''), flag('file', ''), flag('format', 'csv') as Format, flag('src', ''));
} else {
  const mb = Number(flag('mb', '64'));
  const runs = Number(flag('runs', '5'));
  const formats = flag('formats', 'csv').split(',') as Format[];
  const base = flag('base', '');
  const ours = path.join(repoRoot, 'src');
  const files = await ensureData(mb, formats);
  for (const format of formats) {
    const file = files[format];
    const bytes = statSync(file).size;
    const cases: Record<string, () => Row> = {
      'read (fs stream drain)': () => child('read', file, format, ours),
      ...(format === 'csv'
        ? { 'csv-parse bare (baseline)': () => child('csv-parse', file, format, ours) }
        : {}),
      'spool (sha256 + copy)': () => child('spool', file, format, ours),
      'profile (reader + buildProfile)': () => child('profile', file, format, ours),
      ...(base ? { 'profile, --base code': () => child('profile', file, format, path.resolve(base)) } : {}),
    };
    for (const fn of Object.values(cases)) fn(); // warm the page cache and tsx's transform cache
    const results = new Map<string, Row[]>(Object.keys(cases).map((k) => [k, []]));
    for (let i = 0; i < runs; i++)
      for (const [label, fn] of Object.entries(cases)) results.get(label)?.push(fn());
    const rows = [...results].map(([label, rs]) => ({
      label,
      seconds: median(rs.map((r) => r.seconds)),
      cpuSeconds: median(rs.map((r) => r.cpuSeconds)),
      maxRssMiB: Math.max(...rs.map((r) => r.maxRssMiB)),
    }));
    console.log(`\n${format}: ${(bytes / MiB).toFixed(1)} MiB, medians of ${runs} runs`);
    report(bytes, rows, format === 'csv' ? 'csv-parse bare (baseline)' : 'read (fs stream drain)');
  }
}
