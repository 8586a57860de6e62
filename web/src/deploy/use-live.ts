import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../app/api';
import { deployKeys } from './deploy-queries';
import type { Live } from './deploy-types';

/** Seconds the server holds one long poll open (it allows 60): short enough to notice a closed tab soon. */
const waitSeconds = 25;
const maxBackoffMs = 30_000;

const fetchLive = (env: string, since?: number, signal?: AbortSignal) =>
  unwrap(
    api.GET('/api/v1/environments/{env}/live', {
      params: { path: { env }, ...(since === undefined ? {} : { query: { since, wait: waitSeconds } }) },
      ...(signal ? { signal } : {}),
    }),
  );

/** What is live in an environment, as one read (no long poll): for views that only compare against it. */
export function useLiveSnapshot(env: string) {
  return useQuery({ queryKey: deployKeys.live(env), queryFn: () => fetchLive(env) });
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

/**
 * What is live in an environment, kept current by the server's change feed: one long poll at a time
 * (`?since=REVISION&wait=25`), answered within a moment of a change. A change refreshes every deploy query
 * (requests and history move with it). The poll stops while the page is hidden or unmounted, and backs off
 * on failures, so a forgotten tab costs one idle connection at most.
 */
export function useLive(env: string) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: deployKeys.live(env), queryFn: () => fetchLive(env) });
  const revision = query.data?.revision;
  const visible = usePageVisible();

  useEffect(() => {
    if (revision === undefined || !visible) return;
    const abort = new AbortController();
    void (async () => {
      let failures = 0;
      while (!abort.signal.aborted) {
        try {
          const next = await fetchLive(env, revision, abort.signal);
          failures = 0;
          if (next.changed || next.revision !== revision) {
            client.setQueryData<Live>(deployKeys.live(env), next);
            // Everything else shown may have moved with it; the live view itself is already current.
            await client.invalidateQueries({
              queryKey: deployKeys.all,
              predicate: (q) => q.queryKey[1] !== 'live',
            });
            return;
          }
        } catch {
          if (abort.signal.aborted) return;
          failures++;
          await new Promise((r) => setTimeout(r, Math.min(maxBackoffMs, 1000 * 2 ** failures)));
        }
      }
    })();
    return () => abort.abort();
  }, [client, env, revision, visible]);

  return query;
}
