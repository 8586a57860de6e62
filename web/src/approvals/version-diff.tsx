import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import type { DeployRequest } from '../deploy/deploy-types';
import { useLiveSnapshot } from '../deploy/use-live';
import { diffRows } from './diff-rows';

function useVersion(model: string, version: number | undefined) {
  return useQuery({
    queryKey: ['deploy', 'version', model, version],
    enabled: version !== undefined,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models/{name}/versions/{ref}', {
          params: { path: { name: model, ref: String(version) } },
        }),
      ),
    staleTime: 5 * 60_000,
  });
}

/** What approving would change: the requested version against the stable version live in the environment. */
export function VersionDiff({ request, headingId }: { request: DeployRequest; headingId: string }) {
  const live = useLiveSnapshot(request.environment);
  const liveVersion = live.data?.models.find((m) => m.model === request.model)?.stable?.version;
  const candidate = useVersion(request.model, request.version);
  const current = useVersion(request.model, liveVersion);
  const error = live.error ?? candidate.error ?? current.error;
  if (error) return <ProblemView error={error} title="The comparison could not be loaded" />;
  if (!live.data || !candidate.data || (liveVersion !== undefined && !current.data))
    return <p className="loading">Loading the comparison…</p>;
  const rows = diffRows(candidate.data, liveVersion === undefined ? null : (current.data ?? null));
  const findings =
    candidate.data.scan?.files.flatMap((f) => f.findings.map((x) => ({ file: f.path, ...x }))) ?? [];
  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">
            v{request.version} against what is live in {request.environment}
          </caption>
          <thead>
            <tr>
              <th scope="col" id={`${headingId}-what`}>
                What
              </th>
              <th scope="col">Candidate v{request.version}</th>
              <th scope="col">{liveVersion === undefined ? 'Live (nothing)' : `Live v${liveVersion}`}</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.group}-${r.label}`} className={r.change === 'same' ? undefined : 'differs'}>
                <th scope="row">
                  <span className="muted">{r.group === r.label ? '' : `${r.group}: `}</span>
                  {r.label}
                </th>
                <td>{r.candidate}</td>
                <td>{r.live}</td>
                <td>{r.change}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {findings.length > 0 && (
        <>
          <h4>Scan findings in v{request.version}</h4>
          <ul>
            {findings.map((f) => (
              <li key={`${f.file}-${f.offset}-${f.kind}`}>
                <code>{f.file}</code>: {f.severity} — {f.reason}
                {f.global && (
                  <>
                    {' '}
                    (<code>{f.global}</code>)
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
