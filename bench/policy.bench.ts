// Decision latency of the Cedar policy engine (shipped schema and roles, parsed once) against a bare
// JavaScript role-table lookup, over the same mix of principals, actions and resources, in the same run.
// Usage: npm run bench:policy [-- DECISIONS]
import { isAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { createCedarPolicyEngine, loadPolicies } from '../src/adapters/cedar/index.js';
import {
  type AuthzRequest,
  cedarRequest,
  type PolicyAction,
  policyActions,
  type ResourceRef,
} from '../src/modules/policy/index.js';
import type { Principal, Role } from '../src/platform/principal.js';
import { median } from './bench-utils.js';

const decisions = Number(process.argv[2] ?? 20_000) || 20_000;
const files = await loadPolicies();
const started = process.hrtime.bigint();
const engine = createCedarPolicyEngine({ ...files, cacheSize: 0 });
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
const cached = createCedarPolicyEngine({ ...files });

// A deterministic mix: six principals, every action, 60 models over three teams.
let seed = 42;
/** mulberry32: small, deterministic, and without the short low-bit cycles of a plain LCG. */
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) % n) | 0;
};
const who = (id: string, roles: Role[], teams: string[]): Principal => ({
  id,
  kind: 'service',
  name: id,
  roles,
  teams,
  unscoped: teams.length === 0,
  via: { kind: 'token', tokenId: id },
});
const principals = [
  who('service:viewer', ['viewer'], []),
  who('service:ci-vision', ['contributor'], ['vision']),
  who('service:deploy-nlp', ['deployer'], ['nlp']),
  who('user:approver', ['approver'], []),
  who('user:root', ['admin'], []),
  who('user:vision-admin', ['admin'], ['vision']),
];
const teams = ['vision', 'nlp', 'speech'];
const actions = Object.keys(policyActions) as PolicyAction[];
function resourceFor(action: PolicyAction): ResourceRef {
  const i = rand(60);
  const model = {
    name: `model-${i}`,
    owner: teams[i % 3] as string,
    tags: i % 5 === 0 ? ['prod', 'frozen'] : ['dev'],
  };
  switch (policyActions[action].resource) {
    case 'Registry':
      return { type: 'Registry' };
    case 'AuditLog':
      return { type: 'AuditLog' };
    case 'Deployment':
      return { type: 'Deployment', model, environment: i % 2 ? 'production' : 'staging' };
    case 'Token':
      return action === 'identity:token:create'
        ? {
            type: 'Token',
            principal: `service:bot-${i}`,
            roles: ['contributor'],
            teams: i % 2 ? [model.owner] : [],
          }
        : { type: 'Token', id: `tok_${i}`, principal: 'service:viewer' };
    case 'Model':
      return { type: 'Model', model };
    case 'Version':
      return {
        type: 'Version',
        model,
        version: { number: 1 + (i % 7), format: 'onnx', digest: 'ab'.repeat(32) },
      };
    case 'Alias':
      return { type: 'Alias', model, alias: i % 2 ? 'champion' : 'staging' };
  }
}
const requests: AuthzRequest[] = Array.from({ length: decisions }, () => {
  const action = actions[rand(actions.length)] as PolicyAction;
  return {
    principal: principals[rand(principals.length)] as Principal,
    action,
    resource: resourceFor(action),
  };
});

// The baseline: what a hand-written role table would do, with the same team rule.
const reads = actions.filter(
  (a) => /:(list|read|history)$|whoami/.test(a) && !a.startsWith('audit') && !a.startsWith('identity:token'),
);
const writes = [
  'registry:model:create',
  'registry:model:update',
  'registry:version:push',
  'registry:version:update',
];
const aliasMoves = ['registry:alias:set', 'registry:alias:delete'];
const table: Record<Role, Set<string>> = {
  viewer: new Set(reads),
  approver: new Set(reads),
  deployer: new Set([...reads, ...aliasMoves]),
  contributor: new Set([...reads, ...writes, ...aliasMoves]),
  admin: new Set(actions),
};
function roleTable({ principal, action, resource }: AuthzRequest): boolean {
  const scoped = principal.teams.length > 0;
  const owner = 'model' in resource ? resource.model.owner : null;
  if (scoped && owner !== null && !principal.teams.includes(owner)) return false;
  if (scoped && resource.type === 'Token' && action === 'identity:token:create') {
    const teams = resource.teams ?? [];
    if (teams.length === 0 || !teams.every((t) => principal.teams.includes(t))) return false;
  }
  return principal.roles.some((r) => table[r].has(action));
}

function timeEach(fn: (r: AuthzRequest) => unknown, list: AuthzRequest[]): number[] {
  const out: number[] = [];
  for (const r of list) {
    const t = process.hrtime.bigint();
    fn(r);
    out.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  return out;
}

// Warm up JIT and wasm tiers, and check that the engine and the baseline agree on every request.
let disagreements = 0;
for (const r of requests) if (engine.authorize(r).allowed !== roleTable(r)) disagreements++;

// The same work done the naive way: hand Cedar the policy text and schema on every call.
const policyText = files.policies.map((p) => p.text).join('\n');
const reparse = (r: AuthzRequest) => {
  const req = cedarRequest(r);
  return isAuthorized({
    ...req,
    context: {},
    schema: files.schemaText,
    validateRequest: true,
    policies: { staticPolicies: policyText },
  });
};
const fewer = requests.slice(0, Math.min(1000, requests.length));

const rows = [
  { label: 'JS role table (baseline)', times: timeEach(roleTable, requests) },
  { label: 'Cedar engine, parsed once, no cache', times: timeEach((r) => engine.authorize(r), requests) },
  { label: 'Cedar engine, decision cache (default)', times: timeEach((r) => cached.authorize(r), requests) },
  { label: `Cedar re-parsing per call (${fewer.length})`, times: timeEach(reparse, fewer) },
];

const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
};
const base = median(rows[0]?.times ?? [1]);
console.log(
  `${decisions} decisions over ${principals.length} principals × ${actions.length} actions × 60 models; ` +
    `policies loaded and validated in ${loadMs.toFixed(0)} ms; engine and baseline disagree on ${disagreements}`,
);
console.log(
  `\n${'what'.padEnd(42)} ${'median µs'.padStart(10)} ${'p99 µs'.padStart(9)} ${'mean µs'.padStart(9)} ${'vs base'.padStart(9)}`,
);
for (const { label, times } of rows) {
  const med = median(times);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `${label.padEnd(42)} ${med.toFixed(2).padStart(10)} ${pct(times, 99).toFixed(2).padStart(9)} ${mean.toFixed(2).padStart(9)} ${`${(med / base).toFixed(0)}x`.padStart(9)}`,
  );
}
console.log('\ntarget: well under 200 µs per decision (median and p99 of "parsed once, no cache")');
