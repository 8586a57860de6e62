import { defineError } from '../../platform/errors.js';

/** One problem found in the schema or a policy file, located as precisely as Cedar allows. */
export interface PolicyProblem {
  /** The file: `builtin:roles.cedar` for shipped files, the path as given for an operator's. */
  file: string;
  /** 1-based line and column of the offending text, when Cedar points at it. */
  line?: number;
  column?: number;
  /** The policy's id (its @id annotation, or `<file>#<n>`), when the problem is in one policy. */
  policyId?: string;
  message: string;
}

export function describeProblem(p: PolicyProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${where}: ${p.policyId === undefined ? '' : `policy "${p.policyId}": `}${p.message}`;
}

export const policyInvalid = defineError('policy_invalid', 'invalid', (problems: PolicyProblem[]) => ({
  message: `Authorization policies are invalid:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`,
  details: { problems },
}));

export const policyFileUnreadable = defineError(
  'policy_file_unreadable',
  'invalid',
  (file: string, reason: string) => ({
    message: `Cannot read policy file ${file}: ${reason}`,
    details: { file },
  }),
);

/** Deliberately says nothing about which policy refused or why: that goes to the audit log only. */
export const forbidden = defineError('forbidden', 'forbidden', () => 'You are not allowed to do this.');

export const permissionActionUnknown = defineError(
  'permission_action_unknown',
  'invalid',
  (check: number, action: string) => ({
    message: `checks[${check}]: there is no action "${action}" (docs/policy.md lists them).`,
    details: { check, action },
  }),
);

export const permissionResourceMismatch = defineError(
  'permission_resource_mismatch',
  'invalid',
  (check: number, action: string, resource: string, accepted: string[]) => ({
    message:
      accepted.length === 0
        ? `checks[${check}]: "${action}" cannot be asked about here.`
        : `checks[${check}]: "${action}" is asked of a resource of type ${accepted.map((t) => `"${t}"`).join(' or ')}, not "${resource}".`,
    details: { check, action, resource, accepted },
  }),
);
