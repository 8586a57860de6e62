import { createHash } from 'node:crypto';
import type { Logger } from '../../platform/logger.js';
import { signatureEvidence } from '../deploy/index.js';
import { rootDigest, sortResources } from '../manifest/index.js';
import type { ModelRecord, RegistryStore, VersionRecord } from '../registry/index.js';
import type { SignatureStore, SignatureVerifier } from '../signing/index.js';
import type { LoadCheck } from './gateway.events.js';
import type { ModelFileBytes, ModelRuntime, RuntimeFor, Session } from './runtime.port.js';

/** A version's files, whole, read through the registry's verified path (authenticated, digest checked). */
export type ReadVerifiedFiles = (version: VersionRecord) => Promise<ModelFileBytes[]>;

export interface LoaderDeps {
  environment: string;
  /** Reads on the root connection: the version, its signatures and the keyring as they are now. */
  read: { registry: RegistryStore; signatures: SignatureStore };
  files: ReadVerifiedFiles;
  verifier: SignatureVerifier;
  /** The default runtime (ONNX). */
  runtime: ModelRuntime;
  /** The runtime configured for a model instead of the default (an upstream proxy), if any. */
  runtimeFor?: RuntimeFor;
  logger: Logger;
}

/** Why a deployed version was not loaded: which check refused it, in words an operator can act on. */
export class LoadRefused extends Error {
  constructor(
    readonly check: LoadCheck,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const bare = (digest: string) => digest.replace(/^sha256:/, '');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Every check a deployed version passes before a session of it is created: it is the version the live
 * state names (same root digest, not deleted), the runtime takes its format, it carries a valid signature
 * by a non-revoked signer allowed for the gateway's environment (re-verified now, against the keyring as
 * it is now), and its bytes, read through the registry's verified path, hash to the version's digest.
 */
export async function loadVersion(
  deps: LoaderDeps,
  model: ModelRecord,
  number: number,
  digest: string,
): Promise<{ version: VersionRecord; session: Session }> {
  const { read } = deps;
  const runtime = deps.runtimeFor?.(model.name) ?? deps.runtime;
  const version = await read.registry.findVersionByNumber(model.id, number);
  if (!version || version.digest !== bare(digest))
    throw new LoadRefused('unavailable', `version ${number} is not the deployed digest ${digest}`);
  if (version.deleted) throw new LoadRefused('unavailable', `version ${number} was deleted`);
  if (!runtime.accepts(version.format))
    throw new LoadRefused('format', `no runtime serves the format "${version.format}"`);

  const records = [];
  for (const record of await read.signatures.listVersionSignatures(version.id)) {
    const signer = await read.signatures.findSignerById(record.signerId);
    if (signer) records.push({ record, signer });
  }
  const evidence = signatureEvidence(records, version.digest, deps.verifier);
  if (!evidence.some((s) => s.valid && s.environments.includes(deps.environment))) {
    const seen = evidence.map(
      (s) => `${s.signer}: ${s.valid ? `not allowed for ${deps.environment}` : s.detail}`,
    );
    throw new LoadRefused(
      'signature',
      `no valid signature by a signer allowed for ${deps.environment}${seen.length ? ` (${seen.join('; ')})` : ''}`,
    );
  }

  let files: ModelFileBytes[];
  try {
    files = await deps.files(version);
  } catch (err) {
    const { code, kind } = err as { code?: unknown; kind?: unknown };
    throw new LoadRefused(
      kind === 'integrity' || code === 'blob_not_found' ? 'integrity' : 'unavailable',
      `its files could not be read verified: ${(err as Error).message}`,
    );
  }
  // The store checked each blob; the files together must still be exactly the version that was signed.
  const resources = sortResources(files.map((f) => ({ name: f.path, digest: sha256(f.bytes) })));
  if (rootDigest(resources) !== version.digest)
    throw new LoadRefused('integrity', 'its files do not hash to the version digest');

  try {
    return { version, session: await runtime.load(files) };
  } catch (err) {
    throw new LoadRefused('runtime', `the runtime refused it: ${(err as Error).message.slice(0, 300)}`);
  }
}
