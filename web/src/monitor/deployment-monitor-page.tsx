import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { usePermissions } from '../app/permissions';
import { QueryResultView } from '../app/query-result-view';
import { useLiveSnapshot } from '../deploy/use-live';
import { AlertsSection } from './alerts-section';
import { DriftOverTime } from './drift-over-time';
import { useMonitorPolicy, useMonitorStatus, useWindows } from './monitor-queries';
import { PolicySection } from './policy-section';
import { ReferenceSection } from './reference-section';
import { StatusPanel } from './status-panel';
import { WindowDetails } from './window-details';

/** How many of the latest windows the drift-over-time view covers. */
const recentWindows = 12;

/** `/monitoring/:environment/:model`: one deployment's monitoring. */
export function DeploymentMonitorPage() {
  const { environment = '', model = '' } = useParams();
  const status = useMonitorStatus(environment, model);
  const windows = useWindows(environment, model, recentWindows);
  const policy = useMonitorPolicy(environment, model);
  const live = useLiveSnapshot(environment);
  const stable = live.data?.models.find((m) => m.model === model)?.stable?.version ?? null;
  const [selected, setSelected] = useState<string | null>(null);
  const { allowed } = usePermissions([
    { action: 'monitor:configure', resource: { type: 'monitor', environment, model } },
  ]);
  return (
    <section className="monitoring">
      <p className="crumbs">
        <Link to="/monitoring">Monitoring</Link> / {environment}
      </p>
      <h1>
        Monitoring: {model} in {environment}
      </h1>
      <QueryResultView query={status} what="monitoring status">
        {(data) => <StatusPanel status={data} />}
      </QueryResultView>
      <QueryResultView query={windows} what="windows">
        {(page) => {
          if (page.items.length === 0) return <p className="muted">No window has closed yet.</p>;
          const current = page.items.find((w) => w.id === selected) ?? page.items[0];
          return (
            <>
              <DriftOverTime windows={page.items} selected={current?.id ?? null} onSelect={setSelected} />
              {current && <WindowDetails window={current} />}
            </>
          );
        }}
      </QueryResultView>
      <AlertsSection env={environment} model={model} />
      {stable !== null && <ReferenceSection model={model} version={stable} />}
      <PolicySection
        env={environment}
        model={model}
        policy={policy}
        canConfigure={allowed('monitor:configure')}
      />
    </section>
  );
}
