import { useParams } from 'react-router';
import { usePermissions } from '../app/permissions';
import { QueryResultView } from '../app/query-result-view';
import { AliasesSection } from './aliases-section';
import { LatestLineage } from './latest-lineage';
import { MetricsSection } from './metrics-section';
import { ModelSummary } from './model-summary';
import { useModel } from './models-queries';
import { VersionsSection } from './versions-section';

/** `/models/:name`: the model, its versions, aliases with their history, lineage and metrics over versions. */
export function ModelPage() {
  const name = useParams().name ?? '';
  const model = useModel(name);
  const aliasNames = model.data?.aliases.map((a) => a.name) ?? [];
  const permissions = usePermissions([
    { action: 'registry:model:update', resource: { type: 'model', model: name } },
    // Role policies decide alias moves on the model (its owner); the probe name stands for a new alias.
    ...['new-alias', ...aliasNames].map((alias) => ({
      action: 'registry:alias:set',
      resource: { type: 'alias' as const, model: name, alias },
    })),
  ]);
  return (
    <section>
      <h1>{name}</h1>
      <QueryResultView query={model} what="model">
        {(m) => (
          <>
            <ModelSummary model={m} canEdit={permissions.allowed('registry:model:update')} />
            <VersionsSection name={m.name} />
            <AliasesSection model={m} canSet={permissions.allowed('registry:alias:set')} />
            <LatestLineage name={m.name} latest={m.latestVersion} />
            <MetricsSection name={m.name} />
          </>
        )}
      </QueryResultView>
    </section>
  );
}
