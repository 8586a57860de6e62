import { useState } from 'react';
import { downloadFile } from '../app/download-file';
import { ProblemView } from '../app/problem-view';
import type { MonitorWindow } from './monitor-types';

/** Downloads a window's drift report: the self-contained HTML page, or the same content as JSON. */
export function ReportButtons({ window: w }: { window: MonitorWindow }) {
  const [busy, setBusy] = useState<'html' | 'json' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (format: 'html' | 'json') => {
    setBusy(format);
    setError(null);
    try {
      const url = `/api/v1/environments/${encodeURIComponent(w.environment)}/monitor/windows/${encodeURIComponent(w.id)}/report?format=${format}`;
      await downloadFile(url, `drift-${w.model}-v${w.version}-${w.id}.${format}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="actions">
      <button type="button" onClick={() => void run('html')} disabled={busy !== null}>
        {busy === 'html' ? 'Preparing…' : 'Drift report (HTML)'}
      </button>
      <button type="button" onClick={() => void run('json')} disabled={busy !== null}>
        {busy === 'json' ? 'Preparing…' : 'Drift report (JSON)'}
      </button>
      {error !== null && <ProblemView error={error} title="The report could not be downloaded" />}
    </div>
  );
}
