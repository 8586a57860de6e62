import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, verifyModel } from '../../src/modules/signing/index.js';
import { interop } from './helpers.js';

const pub = () => readFile(join(interop, 'signing-key-pub.pem'));

/** Verifies as the reference CLI is invoked in the vectors' README (cwd = the interop folder). */
async function verifyVector(
  dir: string,
  folder: 'v1.1.0' | 'v1.0.0',
  extra: { signature?: string; key?: Buffer } = {},
) {
  const name = `${folder}-elliptic-key`;
  return verifyModel({
    modelPath: folder === 'v1.1.0' ? name : `${name}/signme-1`,
    signature: extra.signature ?? (await readFile(join(dir, name, 'model.sig'), 'utf8')),
    signaturePath: `${name}/model.sig`,
    publicKeyPem: extra.key ?? (await pub()),
    ignorePaths: folder === 'v1.1.0' ? [`${name}/ignore-me`] : [],
    cwd: dir,
  });
}

describe('reference vectors, verified as the reference CLI verifies them', () => {
  it('accepts v1.1.0 (directory, hint) and v1.0.0 (single file, rawBytes)', async () => {
    const dir = await verifyVector(interop, 'v1.1.0');
    expect(dir).toMatchObject({
      ok: true,
      problems: [],
      rootDigest: '92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4',
      modelName: 'v1.1.0-elliptic-key',
      method: 'files',
      signedBy: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e',
    });
    const file = await verifyVector(interop, 'v1.0.0');
    expect(file).toMatchObject({ ok: true, problems: [], modelName: 'signme-1' });
  });
});

describe('tampering with a copy of the vectors', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-interop-'));
    await cp(interop, dir, { recursive: true });
    await chmod(join(dir, 'v1.1.0-elliptic-key'), 0o755);
    await chmod(join(dir, 'v1.0.0-elliptic-key'), 0o755);
    for (const f of ['signme-1', 'signme-2', 'ignore-me', 'model.sig'])
      await chmod(join(dir, 'v1.1.0-elliptic-key', f), 0o644);
    await chmod(join(dir, 'v1.0.0-elliptic-key', 'signme-1'), 0o644);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function flipByte(file: string, at = 0): Promise<void> {
    const bytes = await readFile(file);
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    await writeFile(file, bytes);
  }

  it('names a changed file in a directory and in a single-file model', async () => {
    await flipByte(join(dir, 'v1.1.0-elliptic-key', 'signme-2'), 3);
    const r = await verifyVector(dir, 'v1.1.0');
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { kind: 'changed', path: 'signme-2', detail: expect.stringContaining('does not match') },
    ]);
    await flipByte(join(dir, 'v1.0.0-elliptic-key', 'signme-1'));
    expect((await verifyVector(dir, 'v1.0.0')).problems).toEqual([
      { kind: 'changed', path: '.', detail: expect.any(String) },
    ]);
  });

  it('names every extra, missing and changed file at once', async () => {
    const model = join(dir, 'v1.1.0-elliptic-key');
    await rm(join(model, 'signme-1'));
    await writeFile(join(model, 'added.bin'), 'new');
    await writeFile(join(model, 'signme-2'), 'changed!');
    const r = await verifyVector(dir, 'v1.1.0');
    expect(r.problems.map((p) => [p.kind, p.path])).toEqual([
      ['missing', 'signme-1'],
      ['changed', 'signme-2'],
      ['extra', 'added.bin'],
    ]);
    const lenient = await verifyModel({
      modelPath: model,
      signature: await readFile(join(model, 'model.sig'), 'utf8'),
      publicKeyPem: await pub(),
      ignoreUnsignedFiles: true,
    });
    expect(lenient.problems.map((p) => p.kind)).toEqual(['missing', 'changed']);
  });

  it('rejects a changed payload, a changed signature and a different key', async () => {
    const text = await readFile(join(interop, 'v1.1.0-elliptic-key', 'model.sig'), 'utf8');
    const bundle = JSON.parse(text);
    const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
    payload[payload.indexOf('signme-2') + 7] = '3'.charCodeAt(0);
    const badPayload = JSON.stringify({
      ...bundle,
      dsseEnvelope: { ...bundle.dsseEnvelope, payload: payload.toString('base64') },
    });
    const r1 = await verifyVector(dir, 'v1.1.0', { signature: badPayload });
    expect(r1).toMatchObject({ ok: false, problems: [{ kind: 'signature' }] });

    const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
    sig[sig.length - 5] = (sig[sig.length - 5] ?? 0) ^ 0x10;
    const badSig = JSON.stringify({
      ...bundle,
      dsseEnvelope: { ...bundle.dsseEnvelope, signatures: [{ sig: sig.toString('base64'), keyid: '' }] },
    });
    expect(await verifyVector(dir, 'v1.1.0', { signature: badSig })).toMatchObject({
      ok: false,
      problems: [{ kind: 'signature', detail: expect.stringContaining('does not verify') }],
    });

    for (const folder of ['v1.1.0', 'v1.0.0'] as const) {
      const other = Buffer.from(generateKeyPair('p384').publicKeyPem);
      const r = await verifyVector(dir, folder, { key: other });
      expect(r.ok).toBe(false);
      expect(r.problems.every((p) => p.kind === 'signature')).toBe(true);
      expect(r.signedBy).toBeUndefined();
    }
  });
});
