import { useCallback, useState } from 'react';

/**
 * Cursor paging over the API's `{items, next}` pages: remembers the cursors walked so far so "Previous"
 * goes back without the server counting rows.
 */
export function useCursorPager(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | undefined)[] }>({
    key: resetKey,
    stack: [undefined],
  });
  const stack = state.key === resetKey ? state.stack : [undefined];
  const after = stack[stack.length - 1];
  const next = useCallback(
    (cursor: string) => setState({ key: resetKey, stack: [...stack, cursor] }),
    [resetKey, stack],
  );
  const previous = useCallback(
    () => setState({ key: resetKey, stack: stack.slice(0, -1) }),
    [resetKey, stack],
  );
  return { after, page: stack.length, next, previous, hasPrevious: stack.length > 1 };
}

export function Pager(props: {
  /** The state `useCursorPager` keeps. */
  pager: ReturnType<typeof useCursorPager>;
  nextCursor: string | null | undefined;
  label: string;
}) {
  const { pager, nextCursor } = props;
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <button type="button" disabled={!pager.hasPrevious} onClick={pager.previous}>
        Previous
      </button>
      <span aria-live="polite">Page {pager.page}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next
      </button>
    </nav>
  );
}
