import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, unwrap } from '../app/api';
import type { RequestState } from './deploy-types';

/** Every deploy query's key starts here, so one invalidation after an action refreshes them all. */
export const deployKeys = {
  all: ['deploy'] as const,
  environments: () => ['deploy', 'environments'] as const,
  environment: (env: string) => ['deploy', 'environment', env] as const,
  live: (env: string) => ['deploy', 'live', env] as const,
  requests: (env: string, filter: object) => ['deploy', 'requests', env, filter] as const,
  request: (id: string) => ['deploy', 'request', id] as const,
  history: (env: string, model: string, after: string | undefined) =>
    ['deploy', 'history', env, model, after] as const,
  inbox: (after: string | undefined) => ['deploy', 'inbox', after] as const,
};

export function useEnvironments() {
  return useQuery({
    queryKey: deployKeys.environments(),
    queryFn: () => unwrap(api.GET('/api/v1/environments')),
  });
}

export function useEnvironment(env: string) {
  return useQuery({
    queryKey: deployKeys.environment(env),
    queryFn: () => unwrap(api.GET('/api/v1/environments/{env}', { params: { path: { env } } })),
  });
}

export function useRequests(
  env: string,
  filter: { model?: string; state?: RequestState; after?: string; limit?: number },
) {
  return useQuery({
    queryKey: deployKeys.requests(env, filter),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/requests', {
          params: { path: { env }, query: { limit: filter.limit ?? 20, ...clean(filter) } },
        }),
      ),
  });
}

export function useDeployRequest(id: string) {
  return useQuery({
    queryKey: deployKeys.request(id),
    queryFn: () => unwrap(api.GET('/api/v1/deploy-requests/{id}', { params: { path: { id } } })),
  });
}

export function useHistory(env: string, model: string, after: string | undefined) {
  return useQuery({
    queryKey: deployKeys.history(env, model, after),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/environments/{env}/models/{name}/history', {
          params: { path: { env, name: model }, query: { limit: 20, ...(after ? { after } : {}) } },
        }),
      ),
  });
}

/** Refreshes everything the deploy pages show (after an action, or when the live state moved). */
export function useRefreshDeploy() {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: deployKeys.all }), [client]);
}

function clean<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== ''),
  ) as Partial<T>;
}
