// The offline commands build the same engine `warden serve` builds at start-up, without a server.
import { type CedarPolicyEngine, loadPolicyEngine } from '../../adapters/cedar/index.js';
import {
  type AuthzDecision,
  describeProblem,
  type ModelAttributes,
  policyInvalid,
  type ResourceRef,
} from '../../modules/policy/index.js';
import { type Principal, type Role, roles } from '../../platform/principal.js';
import { badOptionValue } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { printJson } from '../output.js';

export interface PolicyValidateOptions {
  json?: boolean;
}

/** Offline: validates operator policy files against the built-in schema, beside the built-in roles. */
export async function policyValidate(
  ctx: CliContext,
  files: string[],
  options: PolicyValidateOptions = {},
): Promise<void> {
  let loaded: Awaited<ReturnType<typeof loadPolicyEngine>>;
  try {
    loaded = await loadPolicyEngine({ extraFiles: files, cwd: ctx.cwd, cacheSize: 0 });
  } catch (err) {
    if (options.json && policyInvalid.is(err)) printJson(ctx.io, { ok: false, ...err.details });
    throw err;
  }
  const { engine } = loaded;
  const given = loaded.files.filter((f) => !f.startsWith('builtin:'));
  const policies = engine.policies.filter((p) => given.includes(p.file));
  if (options.json) {
    printJson(ctx.io, { ok: true, files: given, policies, warnings: engine.warnings });
    return;
  }
  for (const w of engine.warnings) ctx.io.stderr.write(`warning: ${describeProblem(w)}\n`);
  ctx.io.stdout.write(
    `ok: ${policies.length} ${policies.length === 1 ? 'policy' : 'policies'} in ${given.length} ${given.length === 1 ? 'file' : 'files'}\n`,
  );
}

export interface PolicyExplainOptions {
  /** user:NAME or service:NAME */
  principal: string;
  action: string;
  /** registry | audit | model:NAME | version:NAME@N | alias:NAME@ALIAS | token:ID */
  resource: string;
  role?: string[];
  team?: string[];
  /** The owning team of the model (model, version and alias resources). */
  owner?: string;
  tag?: string[];
  format?: string;
  digest?: string;
  /** Whom a token resource authenticates as; defaults to --principal. */
  tokenPrincipal?: string;
  /** Extra operator policy files or folders, as the server would load them. */
  policy?: string[];
  json?: boolean;
}

/** Offline: decides one request against the built-in and given policies, and says which policies decided. */
export async function policyExplain(ctx: CliContext, options: PolicyExplainOptions): Promise<void> {
  const principal = principalOf(options);
  const resource = resourceOf(options);
  const { engine } = await loadPolicyEngine({ extraFiles: options.policy ?? [], cwd: ctx.cwd, cacheSize: 0 });
  const decision = engine.authorize({ principal, action: options.action, resource });
  if (options.json) {
    printJson(ctx.io, {
      decision: decision.allowed ? 'allow' : 'deny',
      ...decision,
      determinedBy: decision.policies.map((id) => engine.policies.find((p) => p.id === id) ?? { id }),
      request: { principal, action: options.action, resource },
    });
    return;
  }
  ctx.io.stdout.write(`${explainText(engine, decision, options)}\n`);
}

function explainText(engine: CedarPolicyEngine, decision: AuthzDecision, options: PolicyExplainOptions) {
  const lines = [
    `${decision.allowed ? 'ALLOW' : 'DENY'}  ${options.principal}  ${options.action}  ${options.resource}`,
  ];
  if (decision.policies.length === 0 && decision.errors.length === 0)
    lines.push('  determined by: no policy permits it (default deny)');
  for (const id of decision.policies) {
    const p = engine.policies.find((q) => q.id === id);
    lines.push(`  determined by: ${id}${p ? ` (${p.effect}, ${p.file}:${p.line}:${p.column})` : ''}`);
  }
  for (const e of decision.errors) lines.push(`  error: ${e}`);
  return lines.join('\n');
}

function principalOf(options: PolicyExplainOptions): Principal {
  const m = /^(token|oidc|service|user):(.+)$/.exec(options.principal);
  if (!m?.[1] || !m[2])
    throw badOptionValue('--principal', 'expected token:ID, oidc:ISSUER#SUBJECT, service:ID or user:NAME');
  const given = options.role ?? [];
  const unknown = given.find((r) => !(roles as readonly string[]).includes(r));
  if (unknown !== undefined)
    throw badOptionValue('--role', `unknown role "${unknown}" (one of ${roles.join(', ')})`);
  return {
    id: options.principal,
    kind: m[1] === 'oidc' || m[1] === 'user' ? 'user' : 'service',
    name: m[2],
    roles: given as Role[],
    teams: options.team ?? [],
    // As for an API token's grant: no --team is the explicit unscoped grant.
    unscoped: (options.team ?? []).length === 0,
    via: { kind: 'token', tokenId: 'explain' },
  };
}

function resourceOf(options: PolicyExplainOptions): ResourceRef {
  const spec = options.resource;
  if (spec === 'registry') return { type: 'Registry' };
  if (spec === 'audit') return { type: 'AuditLog' };
  const [kind, rest] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
  if (kind === 'token' && rest)
    return { type: 'Token', id: rest, principal: options.tokenPrincipal ?? options.principal };
  const model = (name: string | undefined): ModelAttributes => {
    if (!name) throw badResource(spec);
    if (options.owner === undefined)
      throw badOptionValue('--owner', 'required for model, version and alias resources (the owning team)');
    return { name, owner: options.owner, tags: options.tag ?? [] };
  };
  const at = rest.lastIndexOf('@');
  switch (kind) {
    case 'model':
      return { type: 'Model', model: model(rest) };
    case 'version': {
      const number = rest.slice(at + 1);
      if (at <= 0 || !/^[1-9]\d*$/.test(number)) throw badResource(spec);
      return {
        type: 'Version',
        model: model(rest.slice(0, at)),
        version: {
          number: Number(number),
          format: options.format ?? 'unknown',
          digest: options.digest ?? '',
        },
      };
    }
    case 'alias':
      if (at <= 0 || at === rest.length - 1) throw badResource(spec);
      return { type: 'Alias', model: model(rest.slice(0, at)), alias: rest.slice(at + 1) };
    default:
      throw badResource(spec);
  }
}

const badResource = (spec: string) =>
  badOptionValue(
    '--resource',
    `"${spec}" is not one of registry, audit, model:NAME, version:NAME@N, alias:NAME@ALIAS, token:ID`,
  );
