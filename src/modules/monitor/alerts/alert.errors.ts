import { defineError } from '../../../platform/errors.js';
import type { PolicyProblem } from './monitor-policy.js';

/** A monitor policy document with problems: every one of them, at its path. */
export const invalidPolicy = defineError(
  'monitor_policy_invalid',
  'invalid',
  (problems: PolicyProblem[]) => ({
    message: `The monitor policy is not valid: ${problems.map((p) => `${p.path || '(document)'} ${p.message}`).join('; ')}.`,
    details: { problems },
  }),
);

/** Another change of the deployment's monitor policy got there first. */
export const policyConflict = defineError(
  'monitor_policy_conflict',
  'conflict',
  (environment: string, model: string) => ({
    message: `The monitor policy of ${model} in ${environment} changed meanwhile; read it again and retry.`,
    details: { environment, model },
  }),
);
