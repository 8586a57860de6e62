import type { MonitorWindow } from './monitor-types';

/** A window's drift verdict in words (never colour alone): drift detected, no drift, or why there is none. */
export function DriftVerdict({ window }: { window: MonitorWindow | null }) {
  if (!window) return <span className="verdict none">No closed window yet</span>;
  const drift = window.drift;
  if (!drift) return <span className="verdict none">No drift computed</span>;
  const { dataset } = drift;
  const share = `${dataset.drifted} of ${dataset.columns} columns`;
  return dataset.detected ? (
    <span className="verdict drifted">Drift detected ({share})</span>
  ) : (
    <span className="verdict ok">No drift ({share})</span>
  );
}

/** A number for the tables: up to 4 significant digits, exponent for tiny p-values. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}
