import { sign } from 'node:crypto';
import path from 'node:path';
import { buildBundle, type KeyBundle } from './bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, pae } from './dsse.js';
import { loadPrivateKey, publicKeyHint } from './ec-keys.js';
import { hashModel, type Method } from './hash-model.js';
import { buildStatement, type ModelStatement } from './statement.js';

export interface SignModelInput {
  modelPath: string;
  /** PEM text of the ECDSA private key. */
  privateKeyPem: string | Buffer;
  password?: string;
  /** Where the signature will be written; it is left out of the model when it lies inside. */
  signaturePath: string;
  method?: Method;
  shardSize?: number;
  ignorePaths?: readonly string[];
  ignoreGitPaths?: boolean;
  cwd?: string;
  workers?: number;
  onProgress?(bytesDone: number, bytesTotal: number): void;
}

export interface SignedModel {
  bundle: KeyBundle;
  statement: ModelStatement;
  rootDigest: string;
  /** Hex SHA-256 of the signer's public key PEM (the bundle's hint). */
  signedBy: string;
}

/** Hashes a model and signs its in-toto statement into a Sigstore bundle, as `model_signing sign key` does. */
export async function signModel(input: SignModelInput): Promise<SignedModel> {
  // Load the key first: a wrong password should fail before minutes of hashing.
  const key = loadPrivateKey(input.privateKeyPem, input.password);
  const cwd = input.cwd ?? process.cwd();
  const model = await hashModel(path.resolve(cwd, input.modelPath), {
    method: input.method ?? 'files',
    ...(input.shardSize !== undefined ? { shardSize: input.shardSize } : {}),
    ignorePaths: [...(input.ignorePaths ?? []), path.resolve(cwd, input.signaturePath)],
    ignoreGitPaths: input.ignoreGitPaths ?? true,
    cwd,
    forSigning: true,
    ...(input.workers ? { workers: input.workers } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  const statement = buildStatement(model.modelName, model.rootDigest, model.serialization, model.resources);
  const payload = Buffer.from(JSON.stringify(statement, null, 2), 'utf8');
  const signature = sign(key.hash, pae(IN_TOTO_PAYLOAD_TYPE, payload), key.key);
  const signedBy = publicKeyHint(key.key);
  return {
    bundle: buildBundle(payload, IN_TOTO_PAYLOAD_TYPE, signature, signedBy),
    statement,
    rootDigest: model.rootDigest,
    signedBy,
  };
}
