import { createHash } from 'node:crypto';
import {
  type AuthorizationAnswer,
  policyToJson,
  preparsePolicySet,
  type StatefulAuthorizationCall,
  statefulIsAuthorized,
} from '@cedar-policy/cedar-wasm/nodejs';
import {
  actionUid,
  type CandidateFacts,
  candidateEntity,
  type GateContext,
  type GateDecision,
  type GateEngine,
  gateAction,
  type PolicyProblem,
  policyInvalid,
  principalEntity,
} from '../../modules/policy/index.js';
import type { Principal } from '../../platform/principal.js';
import { type LoadedPolicy, type PolicySource, parsePolicyFile } from './policy-file.js';
import { actionsOf } from './schema-actions.js';

export interface CedarGateEngineOptions {
  schemaText: string;
  schemaFile?: string;
  /** Every gates-*.cedar file, built-in first. */
  policies: PolicySource[];
}

export interface CedarGateEngine extends GateEngine {
  readonly policies: readonly (LoadedPolicy & { gate: string })[];
}

const gateName = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Parses and validates the gate policies once (strictly, against the same schema as the role policies) and
 * groups them by their `@gate("name")` annotation into one preparsed policy set per gate. Every policy must
 * name its gate and be about the action `deploy:gate` alone; any problem stops the start with its file,
 * line and column.
 */
export function createCedarGateEngine(options: CedarGateEngineOptions): CedarGateEngine {
  const schemaFile = options.schemaFile ?? 'builtin:warden.cedarschema';
  const { schema } = actionsOf(options.schemaText, schemaFile);
  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const byGate = new Map<
    string,
    { policies: (LoadedPolicy & { gate: string })[]; texts: Record<string, string> }
  >();
  const seen = new Map<string, LoadedPolicy>();
  const all: (LoadedPolicy & { gate: string })[] = [];

  for (const source of options.policies) {
    for (const { text, ...policy } of parsePolicyFile(source, schema, problems, warnings)) {
      const where = { file: policy.file, line: policy.line, column: policy.column, policyId: policy.id };
      const first = seen.get(policy.id);
      if (first) {
        problems.push({
          ...where,
          message: `duplicate policy id; it is already used at ${first.file}:${first.line}:${first.column}`,
        });
        continue;
      }
      seen.set(policy.id, policy);
      const json = policyToJson(text);
      if (json.type !== 'success') continue; // parsePolicyFile has reported it
      const gate = json.json.annotations?.gate;
      if (gate === undefined || gate === null || !gateName.test(gate)) {
        problems.push({
          ...where,
          message:
            'a gate policy needs @gate("name") with a lower-case name (letters, digits, hyphens) naming the gate it belongs to',
        });
        continue;
      }
      const action = json.json.action as { op: string; entity?: { type: string; id: string } };
      if (action.op !== '==' || action.entity?.id !== gateAction) {
        problems.push({
          ...where,
          message: `a gate policy must be about action == Warden::Action::"${gateAction}" only`,
        });
        continue;
      }
      const entry = byGate.get(gate) ?? { policies: [], texts: {} };
      const loaded = { ...policy, gate };
      entry.policies.push(loaded);
      entry.texts[policy.id] = text;
      byGate.set(gate, entry);
      all.push(loaded);
    }
  }
  if (problems.length > 0) throw policyInvalid(problems);

  const sets = new Map<string, { id: string; permits: string[]; ids: string[] }>();
  for (const [gate, { policies, texts }] of byGate) {
    const id = `warden-gate-${gate}-${hash(JSON.stringify(texts))}`;
    const preparsed = preparsePolicySet(id, { staticPolicies: texts });
    if (preparsed.type === 'failure')
      throw policyInvalid(preparsed.errors.map((e) => ({ file: `(gate ${gate})`, message: e.message })));
    sets.set(gate, {
      id,
      permits: policies.filter((p) => p.effect === 'permit').map((p) => p.id),
      ids: policies.map((p) => p.id),
    });
  }
  const actionEntity = { uid: actionUid(gateAction), attrs: {}, parents: [] };

  return {
    policies: all,
    gates: [...sets.keys()],
    policiesOf: (gate) => sets.get(gate)?.ids ?? [],
    decide(
      gate: string,
      principal: Principal,
      candidate: CandidateFacts,
      context: GateContext,
    ): GateDecision {
      const set = sets.get(gate);
      if (!set) return { passed: false, policies: [], errors: [`no policy defines the gate "${gate}"`] };
      const resource = candidateEntity(candidate);
      const who = principalEntity(principal);
      const call: StatefulAuthorizationCall = {
        principal: who.uid,
        action: actionEntity.uid,
        resource: resource.uid,
        context: { ...context },
        entities: [who, resource, actionEntity] as StatefulAuthorizationCall['entities'],
        preparsedPolicySetId: set.id,
      };
      let answer: AuthorizationAnswer;
      try {
        answer = statefulIsAuthorized(call);
      } catch (err) {
        return { passed: false, policies: [], errors: [`gate evaluation failed: ${(err as Error).message}`] };
      }
      if (answer.type === 'failure')
        return { passed: false, policies: [], errors: answer.errors.map((e) => e.message) };
      const { decision, diagnostics } = answer.response;
      if (diagnostics.errors.length > 0)
        return {
          passed: false,
          policies: diagnostics.errors.map((e) => e.policyId),
          errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
        };
      if (decision === 'allow') return { passed: true, policies: diagnostics.reason, errors: [] };
      // A forbid names itself; a default deny is decided by the permits that did not match.
      return {
        passed: false,
        policies: diagnostics.reason.length > 0 ? diagnostics.reason : set.permits,
        errors: [],
      };
    },
  };
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
