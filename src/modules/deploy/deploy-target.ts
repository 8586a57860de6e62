import type { CallContext } from '../../platform/call-context.js';
import type { Principal } from '../../platform/principal.js';
import { liveTokenPrincipal } from '../identity/index.js';
import type { PolicyAction, ResourceRef } from '../policy/index.js';
import {
  type ModelRecord,
  type RegistryStore,
  registryErrors,
  type VersionRecord,
} from '../registry/index.js';
import type { SignatureVerifier } from '../signing/index.js';
import { environmentNotFound, versionUnavailable } from './deploy.errors.js';
import type { DeployStores } from './deploy.ports.js';
import type { ApprovalRecord, DeployRequestRecord } from './deploy.types.js';
import type { DeployServiceDeps } from './deploy-deps.js';
import type { DeployEnvironment } from './environment.js';
import { selfApprovalAllowed } from './environment.js';
import { evaluateGates, type GateInputs, signatureEvidence } from './gate-evaluation.js';

export function environmentOf(
  deps: Pick<DeployServiceDeps, 'environments'>,
  name: string,
): DeployEnvironment {
  const env = Object.hasOwn(deps.environments, name) ? deps.environments[name] : undefined;
  if (!env) throw environmentNotFound(name, Object.keys(deps.environments));
  return env;
}

export const deploymentResource = (model: ModelRecord, environment: string): ResourceRef => ({
  type: 'Deployment',
  model: { name: model.name, owner: model.owner, tags: model.tags },
  environment,
});

/**
 * "May this caller do `action` on this model's deployment in `environment`?" for the modules that keep
 * something per deployment (guard and monitor policies, monitoring's reads): the environment must be
 * configured and the model registered; answers the model.
 */
export function deploymentAuthorizer(deps: {
  environments: readonly string[];
  registry: Pick<RegistryStore, 'findModelByName'>;
  access: { require(ctx: CallContext, action: PolicyAction, resource: ResourceRef): Promise<unknown> };
}) {
  return async (
    ctx: CallContext,
    environment: string,
    modelName: string,
    action: PolicyAction,
  ): Promise<ModelRecord> => {
    if (!deps.environments.includes(environment)) throw environmentNotFound(environment, deps.environments);
    const model = await deps.registry.findModelByName(modelName);
    if (!model) throw registryErrors.modelNotFound(modelName);
    await deps.access.require(ctx, action, deploymentResource(model, environment));
    return model;
  };
}

export async function modelNamed(stores: Pick<DeployStores, 'registry'>, name: string): Promise<ModelRecord> {
  const model = await stores.registry.findModelByName(name);
  if (!model) throw registryErrors.modelNotFound(name);
  return model;
}

/** A version that can be deployed: it exists, is not deleted, and still has the digest asked for. */
export async function deployableVersion(
  stores: Pick<DeployStores, 'registry'>,
  model: ModelRecord,
  versionId: string,
  digest: string,
): Promise<VersionRecord> {
  const version = await stores.registry.findVersionById(versionId);
  if (!version) throw versionUnavailable(model.name, 0, 'it no longer exists');
  if (version.deleted)
    throw versionUnavailable(model.name, version.number, `it was deleted at ${version.deleted.at}`);
  if (version.digest !== digest)
    throw versionUnavailable(model.name, version.number, 'its digest is not the one requested');
  return version;
}

/** A version's signatures, each re-verified against its signer as the keyring has it on this transaction. */
export async function versionSignatures(
  stores: Pick<DeployStores, 'signatures'>,
  version: VersionRecord,
  verifier: SignatureVerifier,
) {
  const records = [];
  for (const record of await stores.signatures.listVersionSignatures(version.id)) {
    const signer = await stores.signatures.findSignerById(record.signerId);
    if (signer) records.push({ record, signer });
  }
  return signatureEvidence(records, version.digest, verifier);
}

/** Everything the gates read for one version, on the caller's transaction. */
export async function gateInputs<S extends DeployStores>(
  deps: Pick<DeployServiceDeps<S>, 'verifier' | 'vulnerabilities'>,
  stores: S,
  env: DeployEnvironment,
  model: ModelRecord,
  version: VersionRecord,
): Promise<GateInputs> {
  return {
    environment: env,
    model,
    version,
    signatures: await versionSignatures(stores, version, deps.verifier),
    vulnerabilities: await deps.vulnerabilities(stores, version.id),
  };
}

export async function gatesFor<S extends DeployStores>(
  deps: Pick<DeployServiceDeps<S>, 'verifier' | 'vulnerabilities' | 'gates'>,
  stores: S,
  principal: Principal,
  env: DeployEnvironment,
  model: ModelRecord,
  version: VersionRecord,
) {
  return evaluateGates(deps.gates, principal, await gateInputs(deps, stores, env, model, version));
}

/** The principal an approver is now: its live token, or what it presented when approving (OIDC users). */
async function approverNow(
  stores: Pick<DeployStores, 'identity'>,
  a: ApprovalRecord,
  now: Date,
): Promise<Principal | null> {
  if (a.approver.startsWith('token:')) {
    const record = await stores.identity.findToken(a.approver.slice('token:'.length));
    return liveTokenPrincipal(record, now);
  }
  const snap = a.approverSnapshot;
  const hash = a.approver.lastIndexOf('#');
  return {
    id: a.approver,
    kind: snap.kind,
    name: a.approverName,
    roles: snap.roles as Principal['roles'],
    teams: [...snap.teams],
    unscoped: snap.unscoped,
    via: {
      kind: 'oidc',
      issuer: a.approver.slice('oidc:'.length, hash),
      subject: a.approver.slice(hash + 1),
      jti: null,
    },
  };
}

/**
 * Which approvals of a request count now, each with why it does not: an approval counts only when it
 * approves this digest and these gate results, has not expired, is not the requester's own (where the
 * environment forbids that), and its approver still holds `deploy:approve` on the target.
 */
export async function weighApprovals(
  deps: Pick<DeployServiceDeps, 'access'>,
  stores: Pick<DeployStores, 'deploy' | 'identity'>,
  env: DeployEnvironment,
  request: DeployRequestRecord,
  model: ModelRecord,
  gateHash: string,
  now: Date,
  recheckRights: boolean,
): Promise<{ approvals: { record: ApprovalRecord; ignored: string | null }[]; counted: number }> {
  const resource = deploymentResource(model, env.name);
  const out: { record: ApprovalRecord; ignored: string | null }[] = [];
  for (const a of await stores.deploy.listApprovals(request.id)) {
    let ignored: string | null = null;
    if (a.decision !== 'approve') ignored = 'a rejection';
    else if (a.digest !== request.digest) ignored = 'approved another digest';
    else if (a.gateHash !== gateHash) ignored = 'the gate results changed since it was given';
    else if (Date.parse(a.expiresAt) <= now.getTime()) ignored = `expired at ${a.expiresAt}`;
    else if (a.approver === request.requestedBy && !selfApprovalAllowed(env))
      ignored = "the requester's own approval";
    else if (recheckRights) {
      const principal = await approverNow(stores, a, now);
      const ctx: CallContext | null = principal ? { principal, requestId: null, clientAddress: null } : null;
      if (!ctx) ignored = "the approver's token was revoked or has expired";
      else if (!deps.access.allows(ctx, 'deploy:approve', resource))
        ignored = 'the approver no longer holds deploy:approve here';
    }
    out.push({ record: a, ignored });
  }
  const counted = new Set(out.filter((a) => a.ignored === null).map((a) => a.record.approver)).size;
  return { approvals: out, counted };
}
