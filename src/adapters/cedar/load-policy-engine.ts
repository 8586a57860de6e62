import { type CedarGateEngine, createCedarGateEngine } from './cedar-gate-engine.js';
import { type CedarPolicyEngine, createCedarPolicyEngine } from './cedar-policy-engine.js';
import { type LoadPoliciesOptions, loadPolicies } from './load-policies.js';

export interface LoadPolicyEngineOptions extends LoadPoliciesOptions {
  cacheSize?: number;
}

/**
 * Reads the shipped schema and roles plus the operator's files, and builds the engine: what `warden serve`
 * does at start-up (refusing to start on `policy_invalid`) and what the offline `warden policy` commands do.
 */
export async function loadPolicyEngine(
  options: LoadPolicyEngineOptions = {},
): Promise<{ engine: CedarPolicyEngine; gates: CedarGateEngine; files: string[] }> {
  const loaded = await loadPolicies(options);
  const engine = createCedarPolicyEngine({
    schemaText: loaded.schemaText,
    schemaFile: loaded.schemaFile,
    policies: loaded.policies,
    ...(options.cacheSize !== undefined ? { cacheSize: options.cacheSize } : {}),
  });
  const gates = createCedarGateEngine({
    schemaText: loaded.schemaText,
    schemaFile: loaded.schemaFile,
    policies: loaded.gatePolicies,
  });
  return { engine, gates, files: [...loaded.policies, ...loaded.gatePolicies].map((p) => p.id) };
}
