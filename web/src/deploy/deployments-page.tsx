import { Link } from 'react-router';
import { ProblemView } from '../app/problem-view';
import { useEnvironments } from './deploy-queries';

/** Every environment, with what it demands before a version goes live there. */
export function DeploymentsPage() {
  const environments = useEnvironments();
  return (
    <section>
      <h1>Deployments</h1>
      {environments.isPending && <p className="loading">Loading environments…</p>}
      {environments.isError && <ProblemView error={environments.error} />}
      {environments.data?.length === 0 && <p className="muted">No environment is configured.</p>}
      {environments.data && environments.data.length > 0 && (
        <ul className="cards plain">
          {environments.data.map((env) => (
            <li key={env.name} className="card">
              <h2>
                <Link to={`/deployments/${env.name}`}>{env.name}</Link>
              </h2>
              <p>
                {env.approvals === 0
                  ? 'No approval needed'
                  : `${env.approvals} approval${env.approvals > 1 ? 's' : ''} needed`}
                {env.autoApply ? '; applies itself' : ''}
              </p>
              <p className="muted">Gates: {env.gates.join(', ') || 'none'}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
