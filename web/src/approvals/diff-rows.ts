import { shortDigest } from '../app/format';
import type { VersionDetail } from '../deploy/deploy-types';

export interface DiffRow {
  /** The row's heading, e.g. "accuracy" or "Training run". */
  label: string;
  group: 'Version' | 'Metrics' | 'Signatures' | 'Scan' | 'Lineage';
  candidate: string;
  live: string;
  /** A word for the difference ("same", "changed", "+0.012"), never colour alone. */
  change: string;
}

const none = '—';

function metricChange(candidate: number | undefined, live: number | undefined): string {
  if (candidate === undefined && live === undefined) return 'same';
  if (candidate === undefined) return 'missing in candidate';
  if (live === undefined) return 'new';
  const delta = candidate - live;
  if (delta === 0) return 'same';
  return `${delta > 0 ? '+' : ''}${Number(delta.toPrecision(4))}`;
}

const signatures = (v: VersionDetail | null) =>
  v ? v.signatures.map((s) => `${s.signer} (${s.status})`).join(', ') || 'unsigned' : none;
const scanFindings = (v: VersionDetail | null) =>
  v ? (v.scan?.files.reduce((n, f) => n + f.findings.length, 0) ?? 0) : 0;
const scan = (v: VersionDetail | null) =>
  v ? (v.scan ? `${v.scan.severity}, ${scanFindings(v)} finding(s)` : 'not scanned (no pickle)') : none;
const parent = (v: VersionDetail | null) =>
  v?.lineage.parent ? `${v.lineage.parent.model} v${v.lineage.parent.number}` : none;
const datasets = (v: VersionDetail | null) =>
  v ? v.lineage.datasetDigests.map(shortDigest).join(', ') || none : none;

/**
 * The candidate version against the one live now, row by row: metrics, signatures, scan findings and
 * lineage. With nothing live, every live cell reads "—".
 */
export function diffRows(candidate: VersionDetail, live: VersionDetail | null): DiffRow[] {
  const row = (group: DiffRow['group'], label: string, c: string, l: string): DiffRow => ({
    group,
    label,
    candidate: c,
    live: l,
    change: !live ? 'nothing live' : c === l ? 'same' : 'changed',
  });
  const metricNames = [
    ...new Set([...Object.keys(candidate.metrics), ...Object.keys(live?.metrics ?? {})]),
  ].sort();
  return [
    row(
      'Version',
      'Version',
      `v${candidate.number} ${shortDigest(candidate.digest)}`,
      live ? `v${live.number} ${shortDigest(live.digest)}` : none,
    ),
    row(
      'Version',
      'Pushed by',
      candidate.createdByName ?? candidate.createdBy,
      live ? (live.createdByName ?? live.createdBy) : none,
    ),
    ...metricNames.map((name) => {
      const c = candidate.metrics[name];
      const l = live?.metrics[name];
      return {
        group: 'Metrics' as const,
        label: name,
        candidate: c === undefined ? none : String(c),
        live: l === undefined ? none : String(l),
        change: live ? metricChange(c, l) : 'nothing live',
      };
    }),
    row('Signatures', 'Signers', signatures(candidate), signatures(live)),
    row(
      'Signatures',
      'Signed for',
      candidate.signedFor.join(', ') || none,
      live ? live.signedFor.join(', ') || none : none,
    ),
    row('Scan', 'Pickle scan', scan(candidate), scan(live)),
    row('Lineage', 'Parent', parent(candidate), parent(live)),
    row(
      'Lineage',
      'Training run',
      candidate.lineage.trainingRun ?? none,
      live ? (live.lineage.trainingRun ?? none) : none,
    ),
    row('Lineage', 'Datasets', datasets(candidate), datasets(live)),
    row(
      'Lineage',
      'Source commit',
      candidate.lineage.sourceCommit ?? none,
      live ? (live.lineage.sourceCommit ?? none) : none,
    ),
  ];
}
