import { defineError } from '../../../platform/errors.js';
import type { PolicyProblem } from './monitor-policy.js';

/** Monitoring was asked about an environment that is not configured. */
export const unknownEnvironment = defineError('monitor_unknown_environment', 'not_found', (name: string) => ({
  message: `No environment named ${name} is configured.`,
  details: { environment: name },
}));

/** Monitoring was asked about a model the registry does not hold. */
export const unknownModel = defineError('monitor_unknown_model', 'not_found', (name: string) => ({
  message: `No model named ${name}.`,
  details: { model: name },
}));

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
