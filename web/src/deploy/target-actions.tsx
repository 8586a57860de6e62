import { ActionDialog } from '../app/action-dialog';
import { api, unwrap } from '../app/api';
import { useRefreshDeploy } from './deploy-queries';
import type { LiveModel } from './deploy-types';

/** Promote, abort and rollback for one target, each shown only where the caller may use it. */
export function TargetActions(props: {
  env: string;
  model: string;
  live: LiveModel | null;
  allowed(action: string): boolean;
}) {
  const { env, model, live, allowed } = props;
  const refresh = useRefreshDeploy();
  const path = { params: { path: { env, name: model } } };
  const candidate = live?.candidate ?? null;
  const buttons = [
    candidate && allowed('deploy:promote') && (
      <ActionDialog
        key="promote"
        label="Promote"
        primary
        title={`Promote the ${candidate.mode} (v${candidate.version}) to stable in ${env}?`}
        description="The gates are checked again; the version then takes all the traffic."
        reason="optional"
        run={(reason) =>
          unwrap(api.POST('/api/v1/environments/{env}/models/{name}/promote', { ...path, body: { reason } }))
        }
        onDone={refresh}
      />
    ),
    candidate && allowed('deploy:abort') && (
      <ActionDialog
        key="abort"
        label="Abort"
        destructive
        title={`Abort the ${candidate.mode} (v${candidate.version}) in ${env}?`}
        description="Stable keeps serving all the traffic."
        reason="optional"
        run={(reason) =>
          unwrap(api.POST('/api/v1/environments/{env}/models/{name}/abort', { ...path, body: { reason } }))
        }
        onDone={refresh}
      />
    ),
    live?.stable && allowed('deploy:rollback') && (
      <ActionDialog
        key="rollback"
        label="Roll back"
        destructive
        title={`Roll ${model} back in ${env}?`}
        description={`v${live.stable.version} stops serving: the last known-good stable version before it goes live, and any canary ends.`}
        reason="required"
        run={(reason) =>
          unwrap(
            api.POST('/api/v1/environments/{env}/models/{name}/rollback', {
              ...path,
              body: { reason: reason ?? '' },
            }),
          )
        }
        onDone={refresh}
      />
    ),
  ].filter(Boolean);
  if (buttons.length === 0) return null;
  return <div className="actions">{buttons}</div>;
}
