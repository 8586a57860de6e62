export {
  type CedarGateEngine,
  type CedarGateEngineOptions,
  createCedarGateEngine,
} from './cedar-gate-engine.js';
export {
  type CedarPolicyEngine,
  type CedarPolicyEngineOptions,
  createCedarPolicyEngine,
  type LoadedPolicy,
  type PolicySource,
} from './cedar-policy-engine.js';
export {
  builtinPolicyDir,
  isGateFile,
  type LoadedPolicyFiles,
  type LoadPoliciesOptions,
  loadPolicies,
} from './load-policies.js';
export { type LoadPolicyEngineOptions, loadPolicyEngine } from './load-policy-engine.js';
