import { formatTime } from '../app/format';
import type { Version } from './models-types';
import { SeverityBadge } from './status-badge';

/** What the pickle scanner found at push time, file by file, finding by finding. */
export function ScanSection({ scan }: { scan: Version['scan'] }) {
  return (
    <section aria-labelledby="scan-heading">
      <h2 id="scan-heading">Scan findings</h2>
      {scan === null ? (
        <p className="empty">Not scanned: no file of this version can hold a pickle.</p>
      ) : (
        <>
          <p>
            Highest severity <SeverityBadge severity={scan.severity} /> · {scan.scanner} (v{scan.version}),{' '}
            <time dateTime={scan.scannedAt}>{formatTime(scan.scannedAt)}</time>
          </p>
          {scan.files.every((f) => f.findings.length === 0) ? (
            <p className="empty">No findings.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Scan findings</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Finding</th>
                    <th scope="col">Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {scan.files.flatMap((f) =>
                    f.findings.map((finding) => (
                      <tr key={`${f.path}-${finding.member ?? ''}-${finding.offset}-${finding.kind}`}>
                        <th scope="row">
                          <code>{f.path}</code>
                          {finding.member && <code> ({finding.member})</code>}
                        </th>
                        <td>
                          <SeverityBadge severity={finding.severity} />
                        </td>
                        <td>
                          {finding.kind}
                          {finding.global && (
                            <>
                              {' '}
                              <code>{finding.global}</code>
                            </>
                          )}
                          {finding.opcode && <span className="muted"> ({finding.opcode})</span>}
                        </td>
                        <td>{finding.reason}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
