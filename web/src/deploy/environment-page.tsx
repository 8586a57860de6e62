import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ProblemView } from '../app/problem-view';
import { useEnvironment } from './deploy-queries';
import { EnvironmentFacts } from './environment-facts';
import { LiveTable } from './live-table';
import { RequestsSection } from './requests-section';
import { useLive } from './use-live';

/** One environment: what is live (kept current by the change feed), its settings, and its requests. */
export function EnvironmentPage() {
  const env = useParams().env ?? '';
  const environment = useEnvironment(env);
  const live = useLive(env);
  return (
    <section>
      <p className="crumbs">
        <Link to="/deployments">Deployments</Link> ›
      </p>
      <h1>{env}</h1>
      {environment.isError && <ProblemView error={environment.error} />}
      {environment.data && (
        <details>
          <summary>Settings</summary>
          <EnvironmentFacts env={environment.data} />
        </details>
      )}
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">Live</h2>
        {live.isPending && <p className="loading">Loading what is live…</p>}
        {live.isError && <ProblemView error={live.error} />}
        {live.data && (
          <>
            <p className="muted" aria-live="polite">
              Revision {live.data.revision}; updates as it changes.
            </p>
            <LiveTable env={env} models={live.data.models} />
          </>
        )}
        <OpenTarget env={env} />
      </section>
      {environment.data && <RequestsSection env={env} />}
    </section>
  );
}

/** Goes to a model's page in this environment, to deploy a model that is not live here yet. */
function OpenTarget({ env }: { env: string }) {
  const navigate = useNavigate();
  const [model, setModel] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (model.trim()) navigate(`/deployments/${env}/${encodeURIComponent(model.trim())}`);
  };
  return (
    <form className="row" onSubmit={submit}>
      <div>
        <label htmlFor="open-model">Model</label>
        <input id="open-model" value={model} onChange={(e) => setModel(e.target.value)} spellCheck={false} />
      </div>
      <button type="submit">Open model in {env}</button>
    </form>
  );
}
