import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';
import { formatTime } from '../app/format';
import { ProblemView } from '../app/problem-view';

const guards = ['validation', 'rateLimit', 'screening', 'redaction', 'coarsening', 'extraction'] as const;

/** The guard policy in force for a deployment: each guard on or off, what overrides the defaults, who set it. */
export function GuardPolicyPanel({ env, model }: { env: string; model: string }) {
  const policy = useQuery({
    queryKey: ['serving', 'guards', env, model],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/models/{name}/guards', {
          params: { path: { env, name: model } },
        }),
      ),
    refetchInterval: 30_000,
  });
  if (policy.isPending) return <p className="loading">Loading the guard policy…</p>;
  if (policy.isError) return <ProblemView error={policy.error} title="The guard policy could not be read" />;
  const p = policy.data;
  return (
    <div>
      <ul className="guard-list">
        {guards.map((g) => {
          const on = p.policy[g]?.enabled !== false;
          return (
            <li key={g}>
              <span className={`badge ${on ? 'ok' : 'warn'}`}>{on ? 'on' : 'off'}</span> {g}
              {p.overridden.some(
                (path) => path === g || path.startsWith(`${g}.`) || path.startsWith(`/${g}`),
              ) && <span className="muted"> (overridden)</span>}
            </li>
          );
        })}
      </ul>
      <p className="muted">
        {p.revision === 0 ? (
          'The defaults: no policy was ever set for this deployment.'
        ) : (
          <>
            Revision {p.revision}, set by <bdi>{p.setByName ?? p.setBy ?? 'unknown'}</bdi>{' '}
            {formatTime(p.setAt)}
            {p.reason && (
              <>
                {' — '}
                <bdi>{p.reason}</bdi>
              </>
            )}
            .
          </>
        )}
      </p>
      <details>
        <summary>Policy in force</summary>
        <pre className="mono">{JSON.stringify(p.policy, null, 2)}</pre>
      </details>
    </div>
  );
}
