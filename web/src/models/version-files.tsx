import { CopyButton } from '../app/copy-button';
import { formatBytes, shortDigest } from '../app/format';
import type { VersionDetail } from './models-types';

/** The manifest's files, in manifest order, with their sizes and digests. */
export function VersionFiles({ files }: { files: VersionDetail['files'] }) {
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Files</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Files of the manifest</caption>
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Size</th>
              <th scope="col">Digest</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.path}>
                <th scope="row">
                  <code>{f.path}</code>
                </th>
                <td>{formatBytes(f.size)}</td>
                <td>
                  <code title={f.digest}>{shortDigest(f.digest)}</code>
                  <CopyButton value={f.digest} label={`digest of ${f.path}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
