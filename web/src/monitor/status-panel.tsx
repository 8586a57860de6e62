import { formatTime, shortDigest } from '../app/format';
import { DetectorTable } from './detector-table';
import type { MonitorStatus } from './monitor-types';
import { DriftVerdict } from './verdict';

/**
 * The deployment's monitoring now: open windows, the last closed one, writes waiting, windows lost, and the
 * detectors' latest reading of the gateway's counters.
 */
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
      <h3>Gateway detectors</h3>
      {status.latestInterval ? (
        <>
          <p className="muted">
            The gateway's counters over the minute read at {formatTime(status.latestInterval.at)}.
          </p>
          <DetectorTable
            readings={status.latestInterval.readings}
            caption="Gateway detector readings in the latest minute"
            empty="No gateway detector had a reading in that minute."
          />
        </>
      ) : (
        <p className="muted">No minute of gateway counters has been read for this deployment.</p>
      )}
    </section>
  );
}
