import { useMutation } from '@tanstack/react-query';
import { useRefreshMonitor } from './monitor-queries';
import { type PolicyProblem, putMonitorPolicy } from './put-monitor-policy';

/**
 * Saving a deployment's monitor policy document from a form: the PUT (refusals as PolicyRefused), then the
 * monitor's queries refreshed and the server's warnings handed to `onDone`.
 */
export function useSaveMonitorPolicy(
  target: { env: string; model: string; onDone(warnings: PolicyProblem[]): void },
  reason: string,
) {
  const refresh = useRefreshMonitor();
  return useMutation({
    mutationFn: (document: Record<string, unknown>) =>
      putMonitorPolicy(target.env, target.model, document, reason),
    onSuccess: async (view) => {
      await refresh();
      target.onDone(view.warnings);
    },
  });
}
