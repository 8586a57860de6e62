import { Link, useParams } from 'react-router';
import { formatTime, shortDigest } from '../app/format';
import { usePermissions } from '../app/permissions';
import { ProblemView } from '../app/problem-view';
import { HistorySection } from './history-section';
import { splitText } from './live-table';
import { RequestForm } from './request-form';
import { RequestsSection } from './requests-section';
import { TargetActions } from './target-actions';
import { useLive } from './use-live';

const targetActions = ['deploy:request', 'deploy:check', 'deploy:promote', 'deploy:abort', 'deploy:rollback'];

/** One model in one environment: what is live, its actions, a new request, its requests and history. */
export function TargetPage() {
  const params = useParams();
  const env = params.env ?? '';
  const model = params.model ?? '';
  const live = useLive(env);
  const permissions = usePermissions(
    targetActions.map((action) => ({ action, resource: { type: 'deployment', environment: env, model } })),
  );
  const current = live.data?.models.find((m) => m.model === model) ?? null;

  return (
    <section>
      <p className="crumbs">
        <Link to="/deployments">Deployments</Link> › <Link to={`/deployments/${env}`}>{env}</Link> ›
      </p>
      <h1>
        {model} in {env}
      </h1>
      <section aria-labelledby="target-live-heading">
        <h2 id="target-live-heading">Live</h2>
        {live.isPending && <p className="loading">Loading what is live…</p>}
        {live.isError && <ProblemView error={live.error} />}
        {live.data && !current && (
          <p className="muted">
            Nothing of {model} is live in {env}.
          </p>
        )}
        {current && (
          <dl className="facts" aria-live="polite">
            <dt>Stable</dt>
            <dd>
              {current.stable ? (
                <>
                  v{current.stable.version}{' '}
                  <code title={current.stable.digest}>{shortDigest(current.stable.digest)}</code>
                </>
              ) : (
                'none'
              )}
            </dd>
            <dt>Canary or shadow</dt>
            <dd>
              {current.candidate
                ? `${current.candidate.mode} v${current.candidate.version} (${current.candidate.percent}%)`
                : 'none'}
            </dd>
            <dt>Traffic split</dt>
            <dd>{splitText(current)}</dd>
            <dt>Changed</dt>
            <dd>
              <time dateTime={current.updatedAt}>{formatTime(current.updatedAt)}</time>
            </dd>
          </dl>
        )}
        {live.data && <TargetActions env={env} model={model} live={current} allowed={permissions.allowed} />}
      </section>
      {permissions.allowed('deploy:request') && (
        <RequestForm env={env} model={model} canCheck={permissions.allowed('deploy:check')} />
      )}
      <RequestsSection env={env} model={model} />
      <HistorySection env={env} model={model} />
    </section>
  );
}
