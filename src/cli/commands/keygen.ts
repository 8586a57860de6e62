import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Curve, curves, generateKeyPair, keyFileExists } from '../../modules/signing/index.js';
import { badOptionValue } from '../cli-errors.js';
import type { CliContext } from '../context.js';
import { printJson } from '../output.js';
import { readPassword } from './sign.js';

export interface KeygenOptions {
  out: string;
  curve?: string;
  passwordFile?: string;
  json?: boolean;
}

/** Creates `file` with `mode`, refusing to replace anything already there. */
async function writeNew(file: string, text: string, mode: number): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(file, 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw keyFileExists(file);
    throw err;
  }
  try {
    await fh.writeFile(text);
  } finally {
    await fh.close();
  }
}

/** Makes an ECDSA key pair: OUT.pem (PKCS#8, 0600, encrypted with a password) and OUT.pub. */
export async function keygenCommand(ctx: CliContext, options: KeygenOptions): Promise<void> {
  const curve = (options.curve ?? 'p256').toLowerCase().replace('-', '') as Curve;
  if (!curves.includes(curve)) throw badOptionValue('--curve', 'must be p256, p384 or p521');
  const password = await readPassword(ctx, options.passwordFile);
  if (password === '') throw badOptionValue('--password-file', 'the file is empty');
  const base = path.resolve(ctx.cwd, options.out);
  const privatePath = `${base}.pem`;
  const publicPath = `${base}.pub`;
  const pair = generateKeyPair(curve, password);
  await writeNew(privatePath, pair.privateKeyPem, 0o600);
  try {
    await writeNew(publicPath, pair.publicKeyPem, 0o644);
  } catch (err) {
    await rm(privatePath, { force: true });
    throw err;
  }
  if (options.json)
    printJson(ctx.io, { privateKey: privatePath, publicKey: publicPath, curve, encrypted: !!password });
  else ctx.io.stdout.write(`Wrote ${privatePath} (private, keep it secret) and ${publicPath} (public)\n`);
}
