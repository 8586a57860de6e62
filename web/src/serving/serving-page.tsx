import { useQueries, useQuery } from '@tanstack/react-query';
import { Navigate, NavLink, useParams } from 'react-router';
import { ApiError, api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { ServingModelCard } from './serving-model-card';
import './serving.css';

const servingQuery = (env: string) => ({
  queryKey: ['serving', 'status', env],
  queryFn: () => unwrap(api.GET('/api/v1/environments/{env}/serving', { params: { path: { env } } })),
  refetchInterval: 10_000,
});

const notServed = (error: unknown) =>
  error instanceof ApiError && error.code === 'gateway_environment_not_served';

/**
 * What the gateway serves, per environment and model, refreshed every 10 s. `/serving` opens the
 * environment this server's gateway serves (each process describes its own gateway).
 */
export function ServingPage() {
  const { env } = useParams();
  const environments = useQuery({
    queryKey: ['serving', 'environments'],
    queryFn: () => unwrap(api.GET('/api/v1/environments')),
  });
  const names = environments.data?.map((e) => e.name) ?? [];
  const statuses = useQueries({
    queries: names.map((name) => ({ ...servingQuery(name), refetchInterval: false as const })),
  });
  const served = names.filter((_, i) => statuses[i]?.isSuccess);

  if (!env) {
    if (environments.isError) return <ProblemView error={environments.error} />;
    const first = served[0];
    if (first) return <Navigate to={`/serving/${encodeURIComponent(first)}`} replace />;
    const settled = environments.isSuccess && statuses.every((s) => !s.isPending);
    if (!settled) return <p className="loading">Loading…</p>;
  }
  return (
    <section className="serving">
      <h1>Serving{env ? `: ${env}` : ''}</h1>
      <nav aria-label="Environments" className="env-tabs">
        <ul>
          {names.map((name, i) => (
            <li key={name}>
              <NavLink to={`/serving/${encodeURIComponent(name)}`}>
                {name}
                {statuses[i]?.isSuccess && <span className="muted"> (this gateway)</span>}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      {env ? (
        <EnvironmentServing env={env} />
      ) : (
        <p className="muted">This server's gateway serves none of these environments.</p>
      )}
    </section>
  );
}

function EnvironmentServing({ env }: { env: string }) {
  const status = useQuery(servingQuery(env));
  if (status.isPending) return <p className="loading">Loading what the gateway serves…</p>;
  if (status.isError)
    return (
      <ProblemView
        error={status.error}
        title={notServed(status.error) ? 'Not served by this server' : undefined}
      />
    );
  const s = status.data;
  return (
    <>
      <p role="status">
        {s.ready ? <span className="badge ok">Ready</span> : <span className="badge warn">Starting</span>}{' '}
        Live-state revision {s.revision} · {s.models.length} model{s.models.length === 1 ? '' : 's'} ·
        refreshed every 10 s
      </p>
      {s.models.length === 0 && <p className="muted">Nothing is deployed to {env} yet.</p>}
      <div className="serving-models">
        {s.models.map((m) => (
          <ServingModelCard key={m.name} env={env} model={m} />
        ))}
      </div>
    </>
  );
}
