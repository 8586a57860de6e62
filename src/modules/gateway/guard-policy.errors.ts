import { defineError } from '../../platform/errors.js';
import type { PolicyProblem } from './guard-policy-document.js';

/** A guard policy document with problems: each one at its path. */
export const guardPolicyInvalid = defineError(
  'guard_policy_invalid',
  'invalid',
  (problems: readonly PolicyProblem[]) => ({
    message: `The guard policy is invalid: ${problems.map((p) => `${p.path || 'policy'}: ${p.message}`).join('; ')}.`,
    details: {
      errors: problems.map((p) => ({ path: p.path ? `policy.${p.path}` : 'policy', message: p.message })),
    },
  }),
);

/** A policy that turns a guard off (or screening to monitor mode) needs a reason, kept in the audit log. */
export const guardPolicyReasonRequired = defineError(
  'guard_policy_reason_required',
  'invalid',
  (weakens: readonly string[]) => ({
    message: `This policy weakens the deployment's guards (${weakens.join(', ')}): give a reason.`,
    details: { weakens: [...weakens] },
  }),
);

/** Another change to the same deployment's policy landed first. */
export const guardPolicyConflict = defineError(
  'guard_policy_conflict',
  'conflict',
  (environment: string, model: string) => ({
    message: `The guard policy of ${environment}/${model} changed meanwhile; read it again and retry.`,
    details: { environment, model },
  }),
);
