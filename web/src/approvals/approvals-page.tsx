import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../app/api';
import { Pager, useCursorPager } from '../app/pager';
import { ProblemView } from '../app/problem-view';
import { deployKeys } from '../deploy/deploy-queries';
import { InboxItem } from './inbox-item';
import './approvals.css';

/** How often the inbox asks again: requests arrive in any environment, and there is no feed across them. */
const refreshMs = 15_000;

/**
 * What waits for the signed-in principal: pending requests in every environment they may approve, never
 * their own (the two-person rule), each with its gates and the difference from what is live.
 */
export function ApprovalsPage() {
  const pager = useCursorPager('inbox');
  const inbox = useQuery({
    queryKey: deployKeys.inbox(pager.after),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/deploy-requests', {
          params: { query: { approvable: true, limit: 10, ...(pager.after ? { after: pager.after } : {}) } },
        }),
      ),
    refetchInterval: refreshMs,
  });
  return (
    <section>
      <h1>Approvals</h1>
      <p className="muted">
        Pending deployment requests, in every environment, that you may approve. Your own requests are not
        listed: someone else approves them.
      </p>
      {inbox.isPending && <p className="loading">Loading requests…</p>}
      {inbox.isError && <ProblemView error={inbox.error} />}
      {inbox.data && inbox.data.items.length === 0 && <p role="status">Nothing waits for your approval.</p>}
      {inbox.data?.items.map((r) => (
        <InboxItem key={r.id} request={r} />
      ))}
      {(pager.hasPrevious || inbox.data?.next) && (
        <Pager label="Approvals" pager={pager} nextCursor={inbox.data?.next} />
      )}
    </section>
  );
}
