import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';
import { formatTime } from '../app/format';
import { ProblemView } from '../app/problem-view';

/**
 * Whether the stored chain verifies (every link and checkpoint, read by the server) and the newest signed
 * checkpoint. Verification reads the whole log, so it runs on arrival and on demand, not on a timer.
 * `start`: the page's entries have come; until then nothing is asked, so the entries are not queued behind
 * seconds of server work on a large log (100,000 entries: about 2 s of hashing and signature checks).
 */
export function ChainStatus({ start }: { start: boolean }) {
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    queryFn: () => unwrap(api.GET('/api/v1/audit/verify')),
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
    enabled: start,
  });
  const checkpoints = useQuery({
    queryKey: ['audit', 'checkpoints'],
    queryFn: () => unwrap(api.GET('/api/v1/audit/checkpoints')),
    enabled: start,
  });
  const latest = checkpoints.data?.[checkpoints.data.length - 1];
  return (
    <section className="card chain-status" aria-labelledby="chain-status-title" aria-busy={verify.isFetching}>
      <h2 id="chain-status-title">Chain verification</h2>
      {verify.isPending && <p className="loading">Verifying the whole chain…</p>}
      {verify.isError && <ProblemView error={verify.error} title="Verification could not run" />}
      {verify.data && (
        <>
          <p role="status">
            {verify.data.ok ? (
              <span className="badge ok">Verified</span>
            ) : (
              <span className="badge bad">Verification failed</span>
            )}{' '}
            {verify.data.entries} entries, {verify.data.checkpoints} checkpoints, head{' '}
            <code title={verify.data.head.hash}>#{verify.data.head.seq}</code>
          </p>
          {verify.data.firstBad && (
            <p className="problem">
              Entry {verify.data.firstBad.seq}: {verify.data.firstBad.reason} — {verify.data.firstBad.message}
            </p>
          )}
          {verify.data.checkpointProblems.length > 0 && (
            <ul className="problem">
              {verify.data.checkpointProblems.map((p) => (
                <li key={`${p.size}-${p.reason}`}>
                  Checkpoint {p.size}: {p.reason} — {p.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <button type="button" onClick={() => void verify.refetch()} disabled={!start || verify.isFetching}>
        {verify.isFetching ? 'Verifying…' : 'Verify again'}
      </button>
      <h3>Last signed checkpoint</h3>
      {checkpoints.isError && <ProblemView error={checkpoints.error} />}
      {checkpoints.data && !latest && <p className="muted">No checkpoint signed yet.</p>}
      {latest && (
        <>
          <dl className="facts">
            <dt>Size</dt>
            <dd>{latest.size} entries</dd>
            <dt>Signed</dt>
            <dd title={latest.at}>{formatTime(latest.at)}</dd>
            <dt>Head hash</dt>
            <dd className="mono">{latest.hash}</dd>
          </dl>
          <details>
            <summary>Signed note</summary>
            <pre className="mono">{latest.note}</pre>
          </details>
        </>
      )}
    </section>
  );
}
