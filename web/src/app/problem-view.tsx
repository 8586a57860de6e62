import { ApiError } from './api';

/** An API failure as the server described it, with the request id to quote to an operator. */
export function ProblemView({ error, title }: { error: unknown; title?: string }) {
  const apiError = error instanceof ApiError ? error : null;
  const message = apiError ? apiError.message : error instanceof Error ? error.message : String(error);
  return (
    <div role="alert" className="problem">
      <strong>{title ?? (apiError?.status === 403 ? 'Not allowed' : 'Something went wrong')}</strong>
      <p>{message}</p>
      {apiError?.code && (
        <p className="muted">
          Code <code>{apiError.code}</code>
          {apiError.status > 0 && <> · HTTP {apiError.status}</>}
        </p>
      )}
      {apiError?.requestId && (
        <p className="muted">
          Request id <code>{apiError.requestId}</code>
        </p>
      )}
    </div>
  );
}
