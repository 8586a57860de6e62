import type { MonitorStatus, StoredReading, WindowView } from '../../modules/monitor/index.js';
import { seg } from '../api-client.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printFields, printJson, printTable, shortDigest } from '../output.js';

export interface MonitorOptions extends ClientOptions {
  env: string;
  model?: string;
}

export interface MonitorDriftOptions extends MonitorOptions {
  window?: string;
}

const base = (env: string) => `/api/v1/environments/${seg(env)}/monitor`;

/** The models asked for: the one named, or every model live in the environment. */
async function modelsOf(ctx: CliContext, options: MonitorOptions): Promise<string[]> {
  if (options.model) return [options.model];
  const live = await clientFor(ctx, options).json<{ models: { model: string }[] }>(
    'GET',
    `/api/v1/environments/${seg(options.env)}/live`,
  );
  return live.models.map((m) => m.model);
}

const fixed = (n: number | null | undefined, digits = 4) =>
  n === null || n === undefined ? '—' : n.toFixed(digits);

/** A number as it was read (thresholds and small p-values keep their digits); null: not a finite number. */
const figure = (n: number | null) => (n === null ? '—' : String(Number(n.toPrecision(4))));

/** `column_drift:petal_length 0.0001 (bad below 0.0125)`, one per breached reading; `none` when none. */
const breached = (readings: readonly StoredReading[] | null, unread: string) =>
  readings === null
    ? unread
    : readings
        .filter((r) => r.breached)
        .map((r) => `${r.detector} ${figure(r.value)} (bad ${r.direction} ${figure(r.threshold)})`)
        .join('; ') || 'none';

export async function monitorStatus(ctx: CliContext, options: MonitorOptions): Promise<void> {
  const client = clientFor(ctx, options);
  const statuses: MonitorStatus[] = [];
  for (const model of await modelsOf(ctx, options))
    statuses.push(await client.json<MonitorStatus>('GET', `${base(options.env)}/status?model=${seg(model)}`));
  if (options.json) return printJson(ctx.io, statuses);
  for (const s of statuses) {
    const last = s.lastClosed;
    printFields(ctx.io, [
      ['Deployment', `${s.environment}/${s.model}`],
      [
        'Open',
        s.open
          .map((w) => `v${w.version} ${shortDigest(w.digest)} since ${w.openedAt}: ${w.rows} rows`)
          .join('; ') || 'none',
      ],
      ['Last closed', last ? `${last.id} (${last.end}, ${last.closedBy}, ${last.rows} rows)` : 'none'],
      [
        'Drift',
        last?.drift
          ? `${last.drift.dataset.detected ? 'DETECTED' : 'no'} (share ${fixed(last.drift.dataset.share, 2)})`
          : '—',
      ],
      [
        'Accuracy',
        last && last.labels.count > 0
          ? `${fixed(last.labels.accuracy)} (F1 ${fixed(last.labels.f1)}, ${last.labels.count} labels)`
          : '—',
      ],
      ['Window breached', last ? breached(last.readings, 'not evaluated yet') : '—'],
      [
        'Gateway breached',
        s.latestInterval
          ? `${breached(s.latestInterval.readings, '')} (read ${s.latestInterval.at})`
          : 'no reading yet',
      ],
      ['Pending writes', s.pendingWrites],
      ['Lost windows', s.lostWindows],
    ]);
    ctx.io.stdout.write('\n');
  }
}

export async function monitorDrift(ctx: CliContext, options: MonitorDriftOptions): Promise<void> {
  const client = clientFor(ctx, options);
  const windows: WindowView[] = [];
  if (options.window)
    windows.push(await client.json<WindowView>('GET', `${base(options.env)}/windows/${seg(options.window)}`));
  else
    for (const model of await modelsOf(ctx, options)) {
      const page = await client.json<{ items: WindowView[] }>(
        'GET',
        `${base(options.env)}/windows?model=${seg(model)}&limit=1`,
      );
      if (page.items[0]) windows.push(page.items[0]);
    }
  if (options.json) return printJson(ctx.io, windows);
  for (const w of windows) {
    ctx.io.stdout.write(
      `${w.environment}/${w.model} v${w.version}, window ${w.id} (${w.start} → ${w.end}, ${w.rows} rows)\n`,
    );
    if (!w.drift) {
      ctx.io.stdout.write('no drift computed (no reference, or fewer rows than monitor.window.minRows)\n');
      printReadings(ctx, w.readings);
      continue;
    }
    printTable(
      ctx.io,
      ['COLUMN', 'TEST', 'VALUE', 'THRESHOLD', 'DRIFTED'],
      w.drift.columns.map((c) => [c.column, c.test, fixed(c.value), c.threshold, c.drifted ? 'YES' : 'no']),
    );
    const d = w.drift.dataset;
    ctx.io.stdout.write(
      `dataset drift: ${d.detected ? 'DETECTED' : 'no'} (${d.drifted}/${d.columns} columns, share ${fixed(d.share, 2)} ≥ ${d.threshold})\n`,
    );
    printReadings(ctx, w.readings);
  }
}

/** The alert engine's readings of a window, against the thresholds it read them with. */
function printReadings(ctx: CliContext, readings: StoredReading[] | null) {
  if (readings === null) ctx.io.stdout.write('detectors: not evaluated yet\n\n');
  else if (readings.length === 0) ctx.io.stdout.write('detectors: no reading (no input)\n\n');
  else {
    printTable(
      ctx.io,
      ['DETECTOR', 'VALUE', 'BAD WHEN', 'BREACHED'],
      readings.map((r) => [
        r.detector,
        figure(r.value),
        `${r.direction} ${figure(r.threshold)}`,
        r.breached ? 'YES' : 'no',
      ]),
    );
    ctx.io.stdout.write('\n');
  }
}
