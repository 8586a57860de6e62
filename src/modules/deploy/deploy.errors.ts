import { defineError } from '../../platform/errors.js';

export const environmentNotFound = defineError(
  'environment_not_found',
  'not_found',
  (name: string, known: readonly string[]) => ({
    message: `There is no deployment environment "${name}" (configured: ${known.join(', ')}).`,
    details: { environment: name, environments: [...known] },
  }),
);
export const requestNotFound = defineError('deploy_request_not_found', 'not_found', (id: string) => ({
  message: `There is no deployment request ${id}.`,
  details: { request: id },
}));
export const requestClosed = defineError(
  'deploy_request_closed',
  'conflict',
  (id: string, state: string) => ({
    message: `Deployment request ${id} is ${state}: it can no longer be approved, rejected, cancelled or applied.`,
    details: { request: id, state },
  }),
);
export const gatesFailed = defineError(
  'deploy_gates_failed',
  'precondition_failed',
  (environment: string, failed: { gate: string; policies: string[] }[]) => ({
    message: `The version does not pass the gates of ${environment}: ${failed.map((f) => f.gate).join(', ')}.`,
    details: { environment, failed },
  }),
);
export const approvalsMissing = defineError(
  'deploy_approvals_missing',
  'precondition_failed',
  (id: string, needed: number, counted: number, ignored: { approver: string; why: string }[]) => ({
    message: `Deployment request ${id} needs ${needed} valid approval(s); ${counted} count.`,
    details: { request: id, needed, counted, ignored },
  }),
);
export const selfApproval = defineError('deploy_self_approval', 'forbidden', (id: string) => ({
  message: `You requested deployment ${id}; in this environment someone else must approve it.`,
  details: { request: id },
}));
export const alreadyDecided = defineError('deploy_already_decided', 'conflict', (id: string) => ({
  message: `You have already approved or rejected deployment request ${id}.`,
  details: { request: id },
}));
export const targetChanged = defineError(
  'deploy_target_changed',
  'conflict',
  (id: string, expected: string | null, now: string | null) => ({
    message: `What is live changed since deployment request ${id} was made (another deployment was applied first); request it again.`,
    details: { request: id, expectedLive: expected, live: now },
  }),
);
export const versionUnavailable = defineError(
  'deploy_version_unavailable',
  'precondition_failed',
  (model: string, version: number, why: string) => ({
    message: `Version ${version} of "${model}" cannot be deployed: ${why}.`,
    details: { model, version, reason: why },
  }),
);
export const nothingToRollBack = defineError(
  'deploy_no_known_good',
  'precondition_failed',
  (environment: string, model: string) => ({
    message: `"${model}" has no earlier known-good deployment in ${environment} to return to.`,
    details: { environment, model },
  }),
);
export const noCandidate = defineError(
  'deploy_no_candidate',
  'precondition_failed',
  (environment: string, model: string) => ({
    message: `"${model}" has no canary or shadow deployment in ${environment}.`,
    details: { environment, model },
  }),
);
export const notDeployed = defineError(
  'deploy_not_live',
  'not_found',
  (environment: string, model: string) => ({
    message: `"${model}" is not deployed in ${environment}.`,
    details: { environment, model },
  }),
);
export const invalidPercent = defineError('deploy_invalid_percent', 'invalid', (slot: string) => ({
  message:
    slot === 'stable'
      ? 'A stable deployment takes no percent; use a canary or shadow for a share of the traffic.'
      : `A ${slot} needs --percent between 1 and ${slot === 'canary' ? 99 : 100}.`,
  details: { slot },
}));
export const canaryNeedsStable = defineError(
  'deploy_canary_needs_stable',
  'precondition_failed',
  (environment: string, model: string) => ({
    message: `"${model}" has no stable deployment in ${environment}: deploy a stable version before a canary or shadow.`,
    details: { environment, model },
  }),
);
export const reasonRequired = defineError('deploy_reason_required', 'invalid', (what: string) => ({
  message: `A reason is required to ${what} (1–500 characters).`,
  details: { action: what },
}));
