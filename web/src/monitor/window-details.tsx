import { formatTime, shortDigest } from '../app/format';
import { DetectorTable } from './detector-table';
import { HistogramChart } from './histogram-chart';
import type { MonitorWindow } from './monitor-types';
import { ReportButtons } from './report-buttons';
import { DriftVerdict, formatNumber } from './verdict';
import { WindowColumnsTable } from './window-columns-table';

/** One window: its facts, prediction summary, the alert engine's readings, column table and histograms. */
export function WindowDetails(props: { window: MonitorWindow }) {
  const w = props.window;
  const p = w.prediction;
  return (
    <section aria-labelledby="window-details">
      <h2 id="window-details">Window ending {formatTime(w.end)}</h2>
      <dl className="facts">
        <dt>Verdict</dt>
        <dd>
          <DriftVerdict window={w} />
        </dd>
        <dt>Version</dt>
        <dd title={w.digest}>
          v{w.version} ({shortDigest(w.digest)})
        </dd>
        <dt>From – to</dt>
        <dd>
          {formatTime(w.start)} – {formatTime(w.end)} (closed by {w.closedBy})
        </dd>
        <dt>Requests / rows</dt>
        <dd>
          {w.requests} / {w.rows}
        </dd>
        <dt>Labels</dt>
        <dd>
          {w.labels.count} (accuracy {formatNumber(w.labels.accuracy)}, F1 {formatNumber(w.labels.f1)})
        </dd>
      </dl>
      <ReportButtons window={w} />
      <h3>Predictions</h3>
      {p ? (
        <dl className="facts">
          <dt>Rows with a prediction</dt>
          <dd>{p.rows}</dd>
          <dt>Unique ratio</dt>
          <dd>{formatNumber(p.uniqueRatio)}</dd>
          <dt>Top class</dt>
          <dd>
            <bdi>{p.topClass ?? '—'}</bdi> ({formatNumber(p.topClassShare * 100)}% of rows)
          </dd>
          <dt>Mean top-class confidence</dt>
          <dd>{formatNumber(p.meanConfidence)}</dd>
        </dl>
      ) : (
        <p className="muted">No prediction summary for this window.</p>
      )}
      <h3>Detectors</h3>
      {w.readings ? (
        <DetectorTable
          readings={w.readings}
          caption="Detector readings in this window"
          empty="No detector has a reading for this window (too few rows, or no drift result)."
        />
      ) : (
        <p className="muted">The alert engine has not read this window.</p>
      )}
      <h3>Columns</h3>
      {w.drift ? (
        <WindowColumnsTable columns={w.drift.columns} />
      ) : (
        <p className="muted">No drift computed (no reference for this version, or too few rows).</p>
      )}
      {w.histograms.length > 0 && (
        <>
          <h3>Reference against current</h3>
          <div className="small-multiples">
            {w.histograms.map((h) => (
              <HistogramChart key={h.column} histogram={h} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
