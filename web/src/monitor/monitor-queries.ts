import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, unwrap } from '../app/api';

/** Every monitoring query's key starts here, so one invalidation after a change refreshes them all. */
export const monitorKeys = {
  all: ['monitor'] as const,
  status: (env: string, model: string) => ['monitor', 'status', env, model] as const,
  windows: (env: string, model: string, limit: number, cursor?: string) =>
    ['monitor', 'windows', env, model, limit, cursor] as const,
  alerts: (env: string, filter: object) => ['monitor', 'alerts', env, filter] as const,
  policy: (env: string, model: string) => ['monitor', 'policy', env, model] as const,
};

/** Monitoring moves as traffic flows: pages refresh every 30 seconds while open. */
const refetchInterval = 30_000;

export function useMonitorStatus(env: string, model: string) {
  return useQuery({
    queryKey: monitorKeys.status(env, model),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/monitor/status', {
          params: { path: { env }, query: { model } },
        }),
      ),
    refetchInterval,
  });
}

export function useWindows(env: string, model: string, limit: number, cursor?: string) {
  return useQuery({
    queryKey: monitorKeys.windows(env, model, limit, cursor),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/monitor/windows', {
          params: { path: { env }, query: { model, limit, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    refetchInterval,
  });
}

export function useAlerts(
  env: string,
  filter: { model?: string; state?: 'firing' | 'resolved'; after?: string; limit?: number },
) {
  return useQuery({
    queryKey: monitorKeys.alerts(env, filter),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/monitor/alerts', {
          params: {
            path: { env },
            query: {
              limit: filter.limit ?? 20,
              ...(filter.model ? { model: filter.model } : {}),
              ...(filter.state ? { state: filter.state } : {}),
              ...(filter.after ? { after: filter.after } : {}),
            },
          },
        }),
      ),
    refetchInterval,
  });
}

export function useMonitorPolicy(env: string, model: string) {
  return useQuery({
    queryKey: monitorKeys.policy(env, model),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/deployments/{model}/monitor-policy', {
          params: { path: { env, model } },
        }),
      ),
  });
}

/** Refreshes every monitoring query (after a policy change). */
export function useRefreshMonitor() {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: monitorKeys.all }), [client]);
}
