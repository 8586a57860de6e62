import type { Environment } from './deploy-types';

/** What an environment demands: approvals, gates, thresholds, whether it applies itself. */
export function EnvironmentFacts({ env }: { env: Environment }) {
  const metrics = Object.entries(env.metrics);
  return (
    <dl className="facts">
      <dt>Approvals needed</dt>
      <dd>
        {env.approvals}
        {env.approvals > 0 && (env.selfApproval ? ' (the requester may approve)' : ' (never the requester)')}
      </dd>
      <dt>Gates</dt>
      <dd>{env.gates.join(', ') || 'none'}</dd>
      <dt>Applies itself</dt>
      <dd>{env.autoApply ? 'yes, when gates pass and no approval is needed' : 'no'}</dd>
      <dt>Highest scan severity</dt>
      <dd>{env.maxScanSeverity}</dd>
      <dt>Highest vulnerability severity</dt>
      <dd>
        {env.maxVulnSeverity}
        {env.requireVulnReport && ' (a report is required)'}
      </dd>
      {metrics.length > 0 && (
        <>
          <dt>Metric thresholds</dt>
          <dd>
            {metrics
              .map(([name, t]) =>
                [
                  t.min !== undefined ? `${name} ≥ ${t.min}` : '',
                  t.max !== undefined ? `${name} ≤ ${t.max}` : '',
                ]
                  .filter(Boolean)
                  .join(', '),
              )
              .join('; ')}
          </dd>
        </>
      )}
    </dl>
  );
}
