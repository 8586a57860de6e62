import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api, toApiError, unwrap } from '../app/api';
import { formatBytes, formatTime, shortDigest } from '../app/format';
import { usePermissions } from '../app/permissions';
import { ProblemView } from '../app/problem-view';
import { useSession } from '../app/session';
import { TableWrap } from './table-wrap';

const formats: Record<string, string> = { csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', parquet: 'parquet' };

/** The stable version's reference data (what drift compares with), and attaching one where allowed. */
export function ReferenceSection({ model, version }: { model: string; version: number }) {
  const id = useId();
  const ref = String(version);
  const { session } = useSession();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const { allowed } = usePermissions([
    { action: 'monitor:reference:set', resource: { type: 'version', model, version: ref } },
  ]);
  const reference = useQuery({
    queryKey: ['monitor', 'reference', model, ref],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models/{name}/versions/{ref}/reference', { params: { path: { name: model, ref } } }),
      ).catch((err: unknown) => {
        if (err instanceof ApiError && err.code === 'monitor_reference_not_found') return null;
        throw err;
      }),
  });
  const attach = useMutation({
    mutationFn: async (chosen: File) => {
      const format = formats[chosen.name.split('.').pop()?.toLowerCase() ?? ''];
      const query = format ? `?format=${format}` : '';
      const path = `/api/v1/models/${encodeURIComponent(model)}/versions/${ref}/reference${query}`;
      const response = await fetch(path, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/octet-stream', 'x-warden-csrf': session?.csrfToken ?? '' },
        body: chosen,
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw toApiError(response, body);
      return body;
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['monitor'] }),
  });
  return (
    <section aria-labelledby="reference-data">
      <h2 id="reference-data">Reference data of v{version}</h2>
      {reference.isError && <ProblemView error={reference.error} title="Could not load the reference data" />}
      {reference.isPending && <p className="loading">Loading reference data…</p>}
      {reference.data === null && (
        <p className="muted">No reference data: drift is not computed for v{version}.</p>
      )}
      {reference.data && (
        <>
          <p>
            {reference.data.format.toUpperCase()}, {reference.data.rows} rows,{' '}
            {formatBytes(reference.data.size)} (
            <span title={reference.data.digest}>{shortDigest(reference.data.digest)}</span>), set by{' '}
            <bdi>{reference.data.setByName ?? reference.data.setBy}</bdi> on{' '}
            {formatTime(reference.data.setAt)}
          </p>
          <TableWrap label="Reference columns table">
            <table>
              <caption>Reference columns and their roles</caption>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Role</th>
                  <th scope="col">Kind</th>
                </tr>
              </thead>
              <tbody>
                {reference.data.columns.map((c) => (
                  <tr key={c.name}>
                    <th scope="row">
                      <bdi>{c.name}</bdi>
                    </th>
                    <td>{c.role}</td>
                    <td>{c.kind}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
      {allowed('monitor:reference:set') && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (file) attach.mutate(file);
          }}
        >
          <label htmlFor={`${id}-file`}>Reference dataset (CSV, JSON Lines or Parquet)</label>
          <input id={`${id}-file`} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          {attach.isError && <ProblemView error={attach.error} title="The reference data was not attached" />}
          <div className="actions">
            <button type="submit" className="primary" disabled={!file || attach.isPending}>
              {attach.isPending ? 'Attaching…' : 'Attach reference'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
