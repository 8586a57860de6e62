import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ProblemView } from './problem-view';

/** A query's three states in one place: "Loading…", the server's problem, or what `children` makes of the data. */
export function QueryResultView<T>(props: {
  query: Pick<UseQueryResult<T>, 'data' | 'error' | 'isPending' | 'isError'>;
  /** What is loading, for the status line ("versions"). */
  what: string;
  children(data: T): ReactNode;
}) {
  const { query } = props;
  if (query.isError) return <ProblemView error={query.error} title={`Could not load the ${props.what}`} />;
  if (query.isPending || query.data === undefined)
    return (
      <p className="loading" role="status">
        Loading {props.what}…
      </p>
    );
  return <>{props.children(query.data)}</>;
}
