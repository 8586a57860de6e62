import path from 'node:path';
import type { SignatureView, SignerView } from '../../modules/registry/index.js';
import { splitModelRef } from '../../modules/registry/index.js';
import { keyFileNotFound, readFileOr, signatureNotFound } from '../../modules/signing/index.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson, printTable } from '../output.js';

export interface SignerAddOptions extends ClientOptions {
  key: string;
  env?: string[];
}

/** Adds a trusted signer from its public key file. */
export async function signerAdd(ctx: CliContext, name: string, options: SignerAddOptions): Promise<void> {
  const publicKey = (await readFileOr(path.resolve(ctx.cwd, options.key), keyFileNotFound)).toString('utf8');
  const signer = await clientFor(ctx, options).json<SignerView>('POST', '/api/v1/signers', {
    name,
    publicKey,
    ...(options.env?.length ? { environments: options.env } : {}),
  });
  if (options.json) return printJson(ctx.io, signer);
  ctx.io.stdout.write(
    `Trusted signer ${signer.name} (key ${signer.keyHint.slice(0, 16)}…; environments: ${signer.environments.join(', ') || 'any'})\n`,
  );
}

export async function signerList(ctx: CliContext, options: ClientOptions): Promise<void> {
  const signers = await clientFor(ctx, options).json<SignerView[]>('GET', '/api/v1/signers');
  if (options.json) return printJson(ctx.io, signers);
  printTable(
    ctx.io,
    ['NAME', 'KEY', 'ENVIRONMENTS', 'CREATED', 'REVOKED'],
    signers.map((s) => [
      s.name,
      s.keyHint.slice(0, 16),
      s.environments.join(','),
      `${s.createdAt} by ${s.createdBy}`,
      s.revokedAt ? `${s.revokedAt} by ${s.revokedBy}` : null,
    ]),
  );
}

export async function signerRevoke(ctx: CliContext, name: string, options: ClientOptions): Promise<void> {
  const signer = await clientFor(ctx, options).json<SignerView>('DELETE', `/api/v1/signers/${seg(name)}`);
  if (options.json) return printJson(ctx.io, signer);
  ctx.io.stdout.write(`Revoked signer ${signer.name}: its signatures now show as revoked\n`);
}

/** Attaches a model-signing bundle to an existing version; the server verifies it against a trusted key. */
export async function modelAttachSignature(
  ctx: CliContext,
  target: string,
  options: ClientOptions & { signature: string },
): Promise<void> {
  const { model, ref } = splitModelRef(target);
  if (!ref) throw badOptionValue(target, 'name the version: NAME@VERSION, NAME@ALIAS or NAME@sha256:…');
  const bundle = (await readFileOr(path.resolve(ctx.cwd, options.signature), signatureNotFound)).toString(
    'utf8',
  );
  const view = await clientFor(ctx, options).json<SignatureView>(
    'POST',
    `/api/v1/models/${seg(model)}/versions/${seg(ref)}/signatures`,
    { bundle },
  );
  if (options.json) return printJson(ctx.io, view);
  ctx.io.stdout.write(`Signature by ${view.signer} on ${model}@${ref}: ${view.status} (${view.detail})\n`);
}
