import { ExtractionAlerts } from './extraction-alerts';
import { GuardPolicyPanel } from './guard-policy-panel';
import { type ServedModel, ServingSlots } from './serving-slots';
import { TrafficPanel } from './traffic-panel';

/** One served model: its versions in the gateway, its last hour of traffic, its guards and alerts. */
export function ServingModelCard({ env, model }: { env: string; model: ServedModel }) {
  const headingId = `serving-model-${model.name}`;
  return (
    <article className="card serving-model" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {model.name}{' '}
        {model.ready ? (
          <span className="badge ok">Serving</span>
        ) : (
          <span className="badge bad">Not ready</span>
        )}
      </h2>
      <h3>Versions</h3>
      <ServingSlots model={model} />
      <h3>Last hour</h3>
      <TrafficPanel env={env} model={model.name} />
      <h3>Guards</h3>
      <GuardPolicyPanel env={env} model={model.name} />
      <ExtractionAlerts env={env} model={model.name} />
    </article>
  );
}
