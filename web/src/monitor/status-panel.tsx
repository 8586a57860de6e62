import { formatTime, shortDigest } from '../app/format';
import type { MonitorStatus } from './monitor-types';
import { DriftVerdict } from './verdict';

/** The deployment's monitoring now: open windows, the last closed one, writes waiting and windows lost. */
export function StatusPanel({ status }: { status: MonitorStatus }) {
  return (
    <section aria-labelledby="monitor-status">
      <h2 id="monitor-status">Status</h2>
      <dl className="facts">
        <dt>Open windows</dt>
        <dd>
          {status.open.length === 0
            ? 'None (no traffic since the last close, or not served by this server)'
            : status.open.map((o) => (
                <span key={o.digest} className="block" title={o.digest}>
                  v{o.version} ({shortDigest(o.digest)}): since {formatTime(o.openedAt)}, {o.requests}{' '}
                  requests, {o.rows} rows
                </span>
              ))}
        </dd>
        <dt>Last closed window</dt>
        <dd>
          {status.lastClosed ? `${formatTime(status.lastClosed.end)}: ` : ''}
          <DriftVerdict window={status.lastClosed} />
        </dd>
        <dt>Writes waiting</dt>
        <dd>{status.pendingWrites}</dd>
        <dt>Windows lost</dt>
        <dd>{status.lostWindows === 0 ? 'None' : <strong>{status.lostWindows}</strong>}</dd>
      </dl>
    </section>
  );
}
