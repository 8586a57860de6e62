import { ApiError, api, toApiError } from '../app/api';
import type { MonitorPolicyView } from './monitor-types';

/** A problem (or warning) the server found in a policy document, at its path (`drift.columns.x.test`). */
export interface PolicyProblem {
  path: string;
  message: string;
}

/** A refused policy: the server's problem, and each problem it listed at its path. */
export class PolicyRefused extends Error {
  constructor(
    readonly apiError: ApiError,
    readonly problems: PolicyProblem[],
  ) {
    super(apiError.message);
    this.name = 'PolicyRefused';
  }
}

const problemsOf = (body: unknown): PolicyProblem[] => {
  const details = (body as { details?: { problems?: unknown } } | null)?.details;
  return Array.isArray(details?.problems)
    ? details.problems.filter(
        (p): p is PolicyProblem => typeof p?.path === 'string' && typeof p?.message === 'string',
      )
    : [];
};

/** `PUT …/monitor-policy`: the view saved (with its warnings), or a PolicyRefused naming each problem. */
export async function putMonitorPolicy(
  env: string,
  model: string,
  policy: Record<string, unknown>,
  reason: string,
): Promise<MonitorPolicyView> {
  let result: Awaited<ReturnType<typeof put>>;
  const put = () =>
    api.PUT('/api/v1/environments/{env}/deployments/{model}/monitor-policy', {
      params: { path: { env, model } },
      body: { policy, ...(reason.trim() ? { reason: reason.trim() } : {}) },
    });
  try {
    result = await put();
  } catch (err) {
    throw new ApiError({ status: 0, title: 'The server could not be reached', detail: String(err) });
  }
  if (!result.response.ok)
    throw new PolicyRefused(toApiError(result.response, result.error), problemsOf(result.error));
  return result.data as MonitorPolicyView;
}
