import { useState } from 'react';
import { downloadFile } from '../app/download-file';
import { ProblemView } from '../app/problem-view';

/** Downloads the whole log as JSON Lines, ending on a freshly signed checkpoint. */
export function ExportButton({ onDone }: { onDone?(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadFile('/api/v1/audit/export', 'warden-audit.jsonl');
      onDone?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export (JSON Lines)'}
      </button>
      {error !== null && <ProblemView error={error} title="The export failed" />}
    </div>
  );
}
