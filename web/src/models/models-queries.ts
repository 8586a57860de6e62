import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';

/** Query keys of this module: every key starts with ['models'], so one invalidation refreshes them all. */
export const modelKeys = {
  all: ['models'] as const,
  list: (q: string, tag: string, after: string | undefined) => ['models', 'list', q, tag, after] as const,
  model: (name: string) => ['models', name, 'detail'] as const,
  versions: (name: string, after: string | undefined) => ['models', name, 'versions', after] as const,
  recent: (name: string, count: number) => ['models', name, 'recent', count] as const,
  version: (name: string, ref: string) => ['models', name, 'version', ref] as const,
  history: (name: string, alias: string, after: string | undefined) =>
    ['models', name, 'alias-history', alias, after] as const,
  attestations: (name: string, ref: string) => ['models', name, 'attestations', ref] as const,
};

export const modelsPageSize = 25;

export function useModelList(q: string, tag: string, after: string | undefined) {
  return useQuery({
    queryKey: modelKeys.list(q, tag, after),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models', {
          params: {
            query: {
              limit: modelsPageSize,
              ...(q ? { q } : {}),
              ...(tag ? { tag } : {}),
              ...(after ? { after } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useModel(name: string) {
  return useQuery({
    queryKey: modelKeys.model(name),
    queryFn: () => unwrap(api.GET('/api/v1/models/{name}', { params: { path: { name } } })),
  });
}

/** A page of versions, newest first, deleted ones (tombstones) included. */
export function useVersionPage(name: string, after: string | undefined) {
  return useQuery({
    queryKey: modelKeys.versions(name, after),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models/{name}/versions', {
          params: { path: { name }, query: { limit: 10, deleted: 'include', ...(after ? { after } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The newest `count` live versions, for comparing their metrics. */
export function useRecentVersions(name: string, count: number) {
  return useQuery({
    queryKey: modelKeys.recent(name, count),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models/{name}/versions', { params: { path: { name }, query: { limit: count } } }),
      ),
  });
}

export function useVersion(name: string, ref: string) {
  return useQuery({
    queryKey: modelKeys.version(name, ref),
    queryFn: () =>
      unwrap(api.GET('/api/v1/models/{name}/versions/{ref}', { params: { path: { name, ref } } })),
  });
}

export function useAliasHistory(name: string, alias: string, after: string | undefined) {
  return useQuery({
    queryKey: modelKeys.history(name, alias, after),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models/{name}/aliases/{alias}/history', {
          params: { path: { name, alias }, query: { limit: 10, ...(after ? { after } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useAttestations(name: string, ref: string) {
  return useQuery({
    queryKey: modelKeys.attestations(name, ref),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/models/{name}/versions/{ref}/attestations', { params: { path: { name, ref } } }),
      ),
  });
}
