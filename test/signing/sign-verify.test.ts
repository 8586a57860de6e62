import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPair, signModel, verifyModel } from '../../src/modules/signing/index.js';
import { interop, V110_ROOT } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-sign-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keysOf = (names: string[]) => names.sort();
const vectorStatement = async () => {
  const bundle = JSON.parse(await readFile(join(interop, 'v1.1.0-elliptic-key', 'model.sig'), 'utf8'));
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
};

/** Checks a bundle without Warden's verifier: PAE by hand, then crypto.verify with the curve's hash. */
function independentlyVerify(bundleJson: string, publicKeyPem: string, hash: string): boolean {
  const b = JSON.parse(bundleJson);
  const payload = Buffer.from(b.dsseEnvelope.payload, 'base64');
  const type = b.dsseEnvelope.payloadType as string;
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `),
    payload,
  ]);
  const hint = createHash('sha256')
    .update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }))
    .digest('hex');
  return (
    b.verificationMaterial.publicKey.hint === hint &&
    verify(hash, pae, publicKeyPem, Buffer.from(b.dsseEnvelope.signatures[0].sig, 'base64'))
  );
}

async function model(files: Record<string, string | Buffer>): Promise<string> {
  const root = join(dir, 'my-model');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), content);
  }
  return root;
}

describe('signModel', () => {
  it.each([
    ['p256', 'sha256'],
    ['p384', 'sha384'],
    ['p521', 'sha512'],
  ] as const)('signs with %s, verifiable by Warden and by an independent check', async (curve, hash) => {
    const root = await model({ 'a/a': 'x', 'a-b/c': 'y', 'a.txt': 'z', '.git/HEAD': 'ref' });
    const keys = generateKeyPair(curve, 'correct horse');
    const signed = await signModel({
      modelPath: root,
      privateKeyPem: keys.privateKeyPem,
      password: 'correct horse',
      signaturePath: join(root, 'model.sig'),
    });
    const json = JSON.stringify(signed.bundle);
    expect(independentlyVerify(json, keys.publicKeyPem, hash)).toBe(true);
    expect(signed.statement.predicate.resources.map((r) => r.name)).toEqual(['a/a', 'a-b/c', 'a.txt']);
    await writeFile(join(root, 'model.sig'), json);
    const result = await verifyModel({ modelPath: root, signature: json, publicKeyPem: keys.publicKeyPem });
    expect(result).toMatchObject({
      ok: true,
      problems: [],
      rootDigest: signed.rootDigest,
      modelName: 'my-model',
    });
  });

  it('reproduces the v1.1.0 vector: root digest, resources and statement shape', async () => {
    const root = join(dir, 'v1.1.0-elliptic-key');
    await mkdir(root);
    for (const f of ['signme-1', 'signme-2', 'ignore-me'])
      await writeFile(join(root, f), await readFile(join(interop, 'v1.1.0-elliptic-key', f)));
    const keys = generateKeyPair('p384');
    const signed = await signModel({
      modelPath: 'v1.1.0-elliptic-key',
      privateKeyPem: keys.privateKeyPem,
      signaturePath: 'v1.1.0-elliptic-key/model.sig',
      ignorePaths: ['v1.1.0-elliptic-key/ignore-me'],
      cwd: dir,
    });
    const vector = await vectorStatement();
    expect(signed.rootDigest).toBe(V110_ROOT);
    expect(signed.statement).toEqual(vector);
    const bundleKeys = (o: object) => keysOf(Object.keys(o));
    const ref = JSON.parse(await readFile(join(interop, 'v1.1.0-elliptic-key', 'model.sig'), 'utf8'));
    expect(bundleKeys(signed.bundle)).toEqual(bundleKeys(ref));
    expect(bundleKeys(signed.bundle.verificationMaterial)).toEqual(bundleKeys(ref.verificationMaterial));
    expect(bundleKeys(signed.bundle.dsseEnvelope)).toEqual(bundleKeys(ref.dsseEnvelope));
    expect(signed.bundle.mediaType).toBe(ref.mediaType);
  });

  it('signs a single file as resource "." named after the file, like the v1.0.0 vector', async () => {
    await writeFile(join(dir, 'signme-1'), await readFile(join(interop, 'v1.0.0-elliptic-key', 'signme-1')));
    const keys = generateKeyPair('p384');
    const signed = await signModel({
      modelPath: join(dir, 'signme-1'),
      privateKeyPem: keys.privateKeyPem,
      signaturePath: join(dir, 'model.sig'),
    });
    const ref = JSON.parse(await readFile(join(interop, 'v1.0.0-elliptic-key', 'model.sig'), 'utf8'));
    expect(signed.statement).toEqual(JSON.parse(Buffer.from(ref.dsseEnvelope.payload, 'base64').toString()));
  });

  it('shards: path:start:end names, sharded algorithm, (path, start, end) order', async () => {
    const root = await model({ 'b.bin': '0123456789', 'a/x': 'abcd', empty: '' });
    const keys = generateKeyPair('p256');
    const signed = await signModel({
      modelPath: root,
      privateKeyPem: keys.privateKeyPem,
      signaturePath: join(root, 'model.sig'),
      method: 'shards',
      shardSize: 4,
      workers: 3,
    });
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    const want = [
      ['a/x:0:4', 'abcd'],
      ['b.bin:0:4', '0123'],
      ['b.bin:4:8', '4567'],
      ['b.bin:8:10', '89'],
    ].map(([name, bytes]) => ({ name, algorithm: 'sha256-sharded-4', digest: sha(bytes as string) }));
    expect(signed.statement.predicate.resources).toEqual(want);
    expect(signed.statement.predicate.serialization).toMatchObject({
      method: 'shards',
      shard_size: 4,
      hash_type: 'sha256',
    });
    const root2 = createHash('sha256');
    for (const r of want) root2.update(Buffer.from(r.digest, 'hex'));
    expect(signed.rootDigest).toBe(root2.digest('hex'));
    const json = JSON.stringify(signed.bundle);
    expect(
      (await verifyModel({ modelPath: root, signature: json, publicKeyPem: keys.publicKeyPem })).ok,
    ).toBe(true);

    await writeFile(join(root, 'b.bin'), '0123456789AB');
    const r = await verifyModel({ modelPath: root, signature: json, publicKeyPem: keys.publicKeyPem });
    expect(r.problems).toEqual([{ kind: 'changed', path: 'b.bin', detail: expect.stringContaining('8:10') }]);
  });

  it('accepts shard_size written as a float (8.0), as Python may write it', async () => {
    const root = await model({ w: 'x'.repeat(20) });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signed = await signModel({
      modelPath: root,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      signaturePath: join(root, 'model.sig'),
      method: 'shards',
      shardSize: 8,
    });
    const payload = Buffer.from(
      JSON.stringify(signed.statement).replace('"shard_size":8', '"shard_size":8.0'),
    );
    expect(payload.toString()).toContain('8.0');
    const type = 'application/vnd.in-toto+json';
    const sig = sign(
      'sha256',
      Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]),
      privateKey,
    );
    const bundle = {
      ...signed.bundle,
      dsseEnvelope: {
        payload: payload.toString('base64'),
        payloadType: type,
        signatures: [{ sig: sig.toString('base64'), keyid: '' }],
      },
    };
    const pem = publicKey.export({ type: 'spki', format: 'pem' });
    expect(
      await verifyModel({ modelPath: root, signature: JSON.stringify(bundle), publicKeyPem: pem }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a wrong password, other key types and curves', async () => {
    const root = await model({ w: 'x' });
    const base = { modelPath: root, signaturePath: join(root, 'model.sig') };
    const enc = generateKeyPair('p256', 'right').privateKeyPem;
    await expect(signModel({ ...base, privateKeyPem: enc, password: 'wrong' })).rejects.toMatchObject({
      code: 'signing_key_password',
      kind: 'invalid',
    });
    await expect(signModel({ ...base, privateKeyPem: enc })).rejects.toMatchObject({
      code: 'signing_key_password',
    });
    const pk = (type: 'ed25519' | 'rsa') =>
      type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
            type: 'pkcs8',
            format: 'pem',
          })
        : generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    await expect(signModel({ ...base, privateKeyPem: pk('ed25519') })).rejects.toMatchObject({
      code: 'signing_key_unsupported',
    });
    await expect(signModel({ ...base, privateKeyPem: pk('rsa') })).rejects.toMatchObject({
      code: 'signing_key_unsupported',
    });
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await expect(signModel({ ...base, privateKeyPem: k1 })).rejects.toMatchObject({
      code: 'signing_key_unsupported',
      message: expect.stringContaining('secp256k1'),
    });
    await expect(signModel({ ...base, privateKeyPem: 'not a key' })).rejects.toMatchObject({
      code: 'signing_key_invalid',
    });
  });

  it.skipIf(process.platform === 'win32')('refuses a symlink in the model, naming it', async () => {
    const root = await model({ w: 'x' });
    await symlink('/etc/hostname', join(root, 'link'));
    const keys = generateKeyPair('p256');
    await expect(
      signModel({
        modelPath: root,
        privateKeyPem: keys.privateKeyPem,
        signaturePath: join(dir, 'model.sig'),
      }),
    ).rejects.toMatchObject({
      code: 'model_symlink',
      kind: 'invalid',
      message: expect.stringContaining('link'),
    });
  });
});

describe('verifyModel on bad input', () => {
  it('refuses truncated or garbled signature JSON as malformed', async () => {
    const root = await model({ w: 'x' });
    const keys = generateKeyPair('p256');
    const signed = await signModel({
      modelPath: root,
      privateKeyPem: keys.privateKeyPem,
      signaturePath: join(dir, 's'),
    });
    const json = JSON.stringify(signed.bundle);
    for (const bad of [
      json.slice(0, json.length / 2),
      '[]',
      '{"mediaType":"x"}',
      json.replace('"payload":"', '"payload":"%%'),
    ])
      await expect(
        verifyModel({ modelPath: root, signature: bad, publicKeyPem: keys.publicKeyPem }),
      ).rejects.toMatchObject({
        code: 'signature_malformed',
        kind: 'invalid',
      });
  });

  it('names every file when the signature is of a different model', async () => {
    const one = await model({ a: '1', b: '2' });
    const keys = generateKeyPair('p256');
    const signed = await signModel({
      modelPath: one,
      privateKeyPem: keys.privateKeyPem,
      signaturePath: join(dir, 's'),
    });
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, 'b'), '3');
    await writeFile(join(other, 'c'), '4');
    const r = await verifyModel({
      modelPath: other,
      signature: JSON.stringify(signed.bundle),
      publicKeyPem: keys.publicKeyPem,
    });
    expect(r.problems.map((p) => `${p.kind}:${p.path}`)).toEqual(['missing:a', 'changed:b', 'extra:c']);
  });

  it('flags a statement whose resources do not add up to the subject digest', async () => {
    const root = await model({ a: '1' });
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const signed = await signModel({
      modelPath: root,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      signaturePath: join(dir, 's'),
    });
    const statement = structuredClone(signed.statement);
    statement.subject[0]!.digest.sha256 = '00'.repeat(32);
    const payload = Buffer.from(JSON.stringify(statement));
    const type = 'application/vnd.in-toto+json';
    const sig = sign(
      'sha256',
      Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]),
      privateKey,
    );
    const bundle = {
      ...signed.bundle,
      dsseEnvelope: {
        payload: payload.toString('base64'),
        payloadType: type,
        signatures: [{ sig: sig.toString('base64') }],
      },
    };
    const r = await verifyModel({
      modelPath: root,
      signature: JSON.stringify(bundle),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }),
    });
    expect(r.problems).toEqual([{ kind: 'root_digest', detail: expect.stringContaining('00000000') }]);
  });
});
