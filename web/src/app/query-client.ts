import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api';

/** One cache for the whole console: short staleness, no retry of what the server refused on purpose. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}
