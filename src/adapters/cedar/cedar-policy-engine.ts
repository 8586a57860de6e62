import { createHash } from 'node:crypto';
import {
  type AuthorizationAnswer,
  preparsePolicySet,
  type StatefulAuthorizationCall,
  statefulIsAuthorized,
} from '@cedar-policy/cedar-wasm/nodejs';
import {
  type AuthzDecision,
  type AuthzRequest,
  cedarRequest,
  type PolicyEngine,
  type PolicyProblem,
  policyInvalid,
} from '../../modules/policy/index.js';
import { decisionCache } from './decision-cache.js';
import { type LoadedPolicy, type PolicySource, parsePolicyFile } from './policy-file.js';
import { actionsOf } from './schema-actions.js';

export type { LoadedPolicy, PolicySource } from './policy-file.js';

export interface CedarPolicyEngineOptions {
  schemaText: string;
  /** How messages name the schema file. */
  schemaFile?: string;
  policies: PolicySource[];
  /** How many distinct decisions to remember (0: none). Default 10,000. */
  cacheSize?: number;
}

export interface CedarPolicyEngine extends PolicyEngine {
  /** Every policy, in file order, with where it was defined. */
  readonly policies: readonly LoadedPolicy[];
  /** What Cedar's validator warned about (the policies still load). */
  readonly warnings: readonly PolicyProblem[];
}

/**
 * Parses and validates the schema and every policy file once, then decides requests against the preparsed
 * set: `authorize` never parses a policy or the schema again, and remembers recent decisions. Any problem
 * in any file stops creation with `policy_invalid`, listing every problem with its file, line, column and
 * policy id.
 */
export function createCedarPolicyEngine(options: CedarPolicyEngineOptions): CedarPolicyEngine {
  const { schemaText } = options;
  const schemaFile = options.schemaFile ?? 'builtin:warden.cedarschema';
  const { schema, actions } = actionsOf(schemaText, schemaFile);

  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const loaded = new Map<string, LoadedPolicy>();
  const texts: Record<string, string> = {};
  for (const source of options.policies) {
    for (const { text, ...policy } of parsePolicyFile(source, schema, problems, warnings)) {
      const first = loaded.get(policy.id);
      if (first) {
        problems.push({
          file: policy.file,
          line: policy.line,
          column: policy.column,
          policyId: policy.id,
          message: `duplicate policy id; it is already used at ${first.file}:${first.line}:${first.column}`,
        });
        continue;
      }
      loaded.set(policy.id, policy);
      texts[policy.id] = text;
    }
  }
  if (problems.length > 0) throw policyInvalid(problems);

  // The wasm module caches preparsed sets by name for the life of the process; naming them by content
  // makes a second engine over the same files reuse the slot instead of adding one.
  const policySetId = `warden-policies-${hash(JSON.stringify(texts))}`;
  const preparsed = preparsePolicySet(policySetId, { staticPolicies: texts });
  if (preparsed.type === 'failure')
    throw policyInvalid(preparsed.errors.map((e) => ({ file: '(all policy files)', message: e.message })));

  const cache = decisionCache(options.cacheSize ?? 10_000);
  return {
    policies: [...loaded.values()],
    warnings,
    authorize(request: AuthzRequest): AuthzDecision {
      const action = actions.get(request.action);
      if (action === undefined) return deny([`unknown action "${request.action}"`]);
      if (!action.resourceTypes.includes(request.resource.type))
        return deny([
          `action "${request.action}" is decided on ${action.resourceTypes.join(' or ')}, not ${request.resource.type}`,
        ]);
      const cedar = cedarRequest(request);
      const call: StatefulAuthorizationCall = {
        principal: cedar.principal,
        action: cedar.action,
        resource: cedar.resource,
        context: {},
        entities: [...cedar.entities, action.entity],
        preparsedPolicySetId: policySetId,
      };
      const key = JSON.stringify(call);
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const decision = decide(call);
      cache.set(key, decision);
      return decision;
    },
  };
}

/**
 * One Cedar evaluation. The request was checked against the schema's `appliesTo` before, and the entities
 * come from typed builders whose output a test validates against the schema (test/policy/catalogue.test.ts),
 * so the schema is not handed to Cedar again here: with it (preparsed, validating the request and entities)
 * a decision measured about 30% slower.
 */
function decide(call: StatefulAuthorizationCall): AuthzDecision {
  let answer: AuthorizationAnswer;
  try {
    answer = statefulIsAuthorized(call);
  } catch (err) {
    return deny([`policy evaluation failed: ${(err as Error)?.message ?? String(err)}`]);
  }
  if (answer.type === 'failure') return deny(answer.errors.map((e) => e.message));
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) {
    // Cedar skips a policy that fails to evaluate; a skipped forbid could turn into an allow, so any
    // failure denies and names the failing policies.
    return frozen(
      false,
      diagnostics.errors.map((e) => e.policyId),
      diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
    );
  }
  return frozen(decision === 'allow', diagnostics.reason, []);
}

const frozen = (allowed: boolean, policies: string[], errors: string[]): AuthzDecision =>
  Object.freeze({
    allowed,
    policies: Object.freeze(policies) as string[],
    errors: Object.freeze(errors) as string[],
  });
const deny = (errors: string[]): AuthzDecision => frozen(false, [], errors);
const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
