import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';
import { ProblemView } from '../app/problem-view';
import { adminKeys } from './admin-keys';

/** Deployment environments and their settings: read-only, as the server's configuration sets them. */
export function EnvironmentsPage() {
  const environments = useQuery({
    queryKey: adminKeys.environments,
    queryFn: () => unwrap(api.GET('/api/v1/environments')),
  });
  return (
    <section>
      <h1>Environments</h1>
      <p className="muted">
        Set in the server's configuration (<code>environments</code>); the API does not change them.
      </p>
      {environments.isPending && <p className="loading">Loading environments…</p>}
      {environments.isError && <ProblemView error={environments.error} />}
      {environments.data && environments.data.length === 0 && <p className="muted">No environment.</p>}
      <div className="cards">
        {environments.data?.map((env) => (
          <article className="card" key={env.name} aria-labelledby={`env-${env.name}`}>
            <h2 id={`env-${env.name}`}>{env.name}</h2>
            <dl className="facts">
              <dt>Approvals</dt>
              <dd>{env.approvals}</dd>
              <dt>Self-approval</dt>
              <dd>{env.selfApproval ? 'counts' : env.allowSelfApproval ? 'allowed, not counted' : 'no'}</dd>
              <dt>Auto-apply</dt>
              <dd>{env.autoApply ? 'yes' : 'no'}</dd>
              <dt>Approval valid for</dt>
              <dd>{duration(env.approvalTtlSeconds)}</dd>
              <dt>Request valid for</dt>
              <dd>{duration(env.requestTtlSeconds)}</dd>
              <dt>Gates</dt>
              <dd>{env.gates.length ? env.gates.join(', ') : 'none'}</dd>
              <dt>Max scan severity</dt>
              <dd>{String(env.maxScanSeverity)}</dd>
              <dt>Max vulnerability</dt>
              <dd>{String(env.maxVulnSeverity)}</dd>
              <dt>Requires</dt>
              <dd>
                {[
                  env.requireVulnReport && 'vulnerability report',
                  env.requireDatasets && 'datasets',
                  env.requireTrainingRun && 'training run',
                  env.requireSourceCommit && 'source commit',
                ]
                  .filter(Boolean)
                  .join(', ') || 'nothing more'}
              </dd>
              <dt>Metric bounds</dt>
              <dd>
                {Object.entries(env.metrics).length
                  ? Object.entries(env.metrics)
                      .map(([m, b]) =>
                        `${m} ${b.min !== undefined ? `≥ ${b.min}` : ''} ${b.max !== undefined ? `≤ ${b.max}` : ''}`.trim(),
                      )
                      .join('; ')
                  : 'none'}
              </dd>
            </dl>
          </article>
        ))}
      </div>
    </section>
  );
}

function duration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
