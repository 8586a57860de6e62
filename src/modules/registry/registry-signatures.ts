import { newId } from '../../platform/ids.js';
import { isSlug } from '../../platform/slug.js';
import type { CallContext } from '../identity/index.js';
import { compareOmsPaths } from '../manifest/index.js';
import type { ResourceRef } from '../policy/index.js';
import type { SignerRecord, VersionSignatureRecord } from '../signing/index.js';
import {
  loadPublicKey,
  publicKeyHint,
  publicKeyPem,
  type SignatureVerifier,
  signatureExists,
  signatureMismatch,
  signatureUntrusted,
  signerExists,
  signerKeyExists,
  signerNotFound,
  signerRevoked,
} from '../signing/index.js';
import { invalidName, versionDeleted } from './registry.errors.js';
import type { Stores } from './registry.ports.js';
import type { ModelRecord, VersionFile, VersionRecord } from './registry.types.js';
import { type SignatureView, type SignerView, signerView } from './registry.views.js';
import { eventModel } from './registry-access.js';
import type { RegistryServiceDeps } from './registry-deps.js';

const registryResource: ResourceRef = { type: 'Registry' };

interface SignatureDeps extends Pick<RegistryServiceDeps, 'uow' | 'read' | 'clock' | 'access' | 'verifier'> {
  versionFor(
    ctx: CallContext,
    action: 'registry:signature:attach',
    name: string,
    ref: string,
  ): Promise<{ model: ModelRecord; version: VersionRecord }>;
}

export interface AddSignerInput {
  name: string;
  publicKeyPem: string;
  environments?: string[];
}

/**
 * Verifies a bundle for a version about to be written and records it on the change's transaction. The
 * signer is looked up again on that transaction, so a signer revoked meanwhile is not trusted.
 */
export async function attachVerified(
  stores: Stores,
  ctx: CallContext,
  input: { model: ModelRecord; version: VersionRecord; files: VersionFile[]; bundle: string; at: string },
  deps: Pick<SignatureDeps, 'access' | 'verifier'>,
): Promise<SignatureView> {
  const { model, version, files } = input;
  const { access, verifier } = deps;
  const check = await verifier.check(stores.signatures, input.bundle, {
    digest: version.digest,
    resources: files.map((f) => ({ name: version.kind === 'file' ? '.' : f.path, digest: f.digest })),
  });
  if (!check.ok) {
    if (check.reason === 'untrusted') throw signatureUntrusted();
    throw signatureMismatch(model.name, version.number, check.detail);
  }
  const existing = await stores.signatures.listVersionSignatures(version.id);
  if (existing.some((s) => s.signerId === check.signer.id))
    throw signatureExists(model.name, version.number, check.signer.name);
  const record: VersionSignatureRecord = {
    id: newId(),
    versionId: version.id,
    signerId: check.signer.id,
    bundle: input.bundle,
    status: check.status,
    detail: check.detail,
    attachedBy: ctx.principal.id,
    attachedAt: input.at,
  };
  await stores.signatures.insertSignature(record);
  await access.record(stores, ctx, {
    type: 'registry.signature.attached',
    model: eventModel(model),
    version: version.number,
    digest: version.digest,
    signer: check.signer.name,
    keyHint: check.signer.keyHint,
    status: check.status,
    detail: check.detail,
  });
  return signatureViewOf(record, check.signer, version.digest, verifier);
}

/** The view of a stored signature, re-checked now: revoked signers and signatures that no longer verify show so. */
export function signatureViewOf(
  record: VersionSignatureRecord,
  signer: SignerRecord,
  digest: string,
  verifier: SignatureVerifier,
): SignatureView {
  const base = {
    signer: signer.name,
    environments: signer.environments,
    attachedAt: record.attachedAt,
    attachedBy: record.attachedBy,
  };
  if (signer.revokedAt !== null)
    return { ...base, status: 'revoked', detail: `signer ${signer.name} was revoked at ${signer.revokedAt}` };
  if (record.status === 'failed') return { ...base, status: 'failed', detail: record.detail };
  const again = verifier.recheck(record.bundle, signer, digest);
  return {
    ...base,
    status: again.ok ? 'verified' : 'failed',
    detail: again.ok ? record.detail : again.detail,
  };
}

/** A version's signatures as every view shows them. */
export async function listSignatureViews(
  stores: Pick<Stores, 'signatures'>,
  version: VersionRecord,
  verifier: SignatureVerifier,
) {
  const out: SignatureView[] = [];
  for (const record of await stores.signatures.listVersionSignatures(version.id)) {
    const signer = await stores.signatures.findSignerById(record.signerId);
    if (signer) out.push(signatureViewOf(record, signer, version.digest, verifier));
  }
  return out;
}

/** The trusted-signer keyring (admins) and signatures attached to existing versions. */
export function createSignatureUseCases(deps: SignatureDeps) {
  const { uow, read, clock, versionFor } = deps;
  const { access } = deps;
  const now = () => clock.now().toISOString();

  return {
    async addSigner(input: AddSignerInput, ctx: CallContext): Promise<SignerView> {
      if (!isSlug(input.name)) throw invalidName('Signer', input.name);
      const environments = [...new Set(input.environments ?? [])].sort();
      for (const env of environments) if (!isSlug(env)) throw invalidName('Environment', env);
      await access.require(ctx, 'signing:signer:create', registryResource);
      // Only ECDSA P-256/384/521 public keys, stored re-serialized so the hint matches the bundle's.
      const key = loadPublicKey(input.publicKeyPem);
      const pem = publicKeyPem(key.key);
      const keyHint = publicKeyHint(key.key);
      return uow.run(async (stores) => {
        if (await stores.signatures.findSignerByName(input.name)) throw signerExists(input.name);
        const same = (await stores.signatures.listSigners()).find(
          (s) => s.keyHint === keyHint && s.revokedAt === null,
        );
        if (same) throw signerKeyExists(same.name);
        const signer: SignerRecord = {
          id: newId(),
          name: input.name,
          publicKeyPem: pem,
          keyHint,
          environments,
          createdBy: ctx.principal.id,
          createdAt: now(),
          revokedAt: null,
          revokedBy: null,
        };
        await stores.signatures.insertSigner(signer);
        await access.record(stores, ctx, {
          type: 'signing.signer.created',
          signer: signer.name,
          keyHint,
          curve: key.curve,
          environments,
        });
        return signerView(signer);
      });
    },

    async listSigners(ctx: CallContext): Promise<SignerView[]> {
      await access.require(ctx, 'signing:signer:list', registryResource);
      return (await read.signatures.listSigners()).map(signerView);
    },

    async revokeSigner(name: string, ctx: CallContext): Promise<SignerView> {
      await access.require(ctx, 'signing:signer:revoke', registryResource);
      return uow.run(async (stores) => {
        const signer = await stores.signatures.findSignerByName(name);
        if (!signer) throw signerNotFound(name);
        if (signer.revokedAt !== null) throw signerRevoked(name, signer.revokedAt);
        const at = now();
        await stores.signatures.revokeSigner(signer.id, ctx.principal.id, at);
        await access.record(stores, ctx, {
          type: 'signing.signer.revoked',
          signer: name,
          keyHint: signer.keyHint,
        });
        return signerView({ ...signer, revokedAt: at, revokedBy: ctx.principal.id });
      });
    },

    /** Verifies a bundle against the version's manifest and a trusted key, and records the result. */
    async attachSignature(
      name: string,
      ref: string,
      bundle: string,
      ctx: CallContext,
    ): Promise<SignatureView> {
      const { model, version } = await versionFor(ctx, 'registry:signature:attach', name, ref);
      return uow.run(async (stores) => {
        // Serialized with deletion: a signature is never attached to a version being deleted.
        await stores.registry.lockModel(model.id);
        const deleted = (await stores.registry.findVersionById(version.id))?.deleted;
        if (deleted) throw versionDeleted(name, version.number, deleted);
        const files = (await stores.registry.listVersionFiles(version.id)).sort((a, b) =>
          compareOmsPaths(a.path, b.path),
        );
        return attachVerified(stores, ctx, { model, version, files, bundle, at: now() }, deps);
      });
    },
  };
}
