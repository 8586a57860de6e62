import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signModel } from '../../src/modules/signing/index.js';
import { createModel, expectProblem, push, pushRaw } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

const irisPath = new URL('../../examples/iris/model/iris.onnx', import.meta.url);
const iris = readFileSync(irisPath);

const keyPair = (namedCurve = 'prime256v1') => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
};

describe('signatures in the registry', () => {
  let t: TestApp;
  let dir: string;
  const release = keyPair();
  const stranger = keyPair();
  const sign = async (privatePem: string, file: string, content: Buffer) => {
    const modelPath = path.join(dir, file);
    writeFileSync(modelPath, content);
    const signed = await signModel({
      modelPath,
      privateKeyPem: privatePem,
      signaturePath: path.join(dir, `${file}.sig`),
    });
    return JSON.stringify(signed.bundle);
  };
  const auditActions = async (action: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/audit?action=${action}&limit=100` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as { action: string; outcome: string; resource: string }[];
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-sig-'));
    t = await createTestApp();
    await createModel(t, 'iris');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signers',
      payload: { name: 'release-team', publicKey: release.publicPem, environments: ['production'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'release-team', environments: ['production'], revokedAt: null });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes a version with its signature and shows it verified', async () => {
    const bundle = await sign(release.privatePem, 'iris.onnx', iris);
    const version = await push(t, 'iris', { kind: 'file', signature: bundle }, [
      { path: 'iris.onnx', content: iris },
    ]);
    expect(version.signatures).toEqual([
      expect.objectContaining({
        signer: 'release-team',
        status: 'verified',
        environments: ['production'],
        attachedBy: expect.any(String),
      }),
    ]);
    expect(version.signedFor).toEqual(['production']);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/models/iris/versions/${version.number}` });
    expect(read.json().signatures[0].status).toBe('verified');
    const pulled = await t.app.inject({
      method: 'GET',
      url: `/api/v1/models/iris/versions/${version.number}/files/iris.onnx`,
    });
    expect(pulled.statusCode).toBe(200);
    expect(pulled.headers['x-warden-signatures']).toBe('verified');
    const events = await auditActions('registry:signature:attach');
    expect(events.some((e) => e.resource === `version:iris@${version.number}`)).toBe(true);
  });

  it('attaches a signature to an existing version later', async () => {
    const content = Buffer.concat([iris, Buffer.from('later')]);
    const version = await push(t, 'iris', { kind: 'file' }, [{ path: 'weights.bin', content }]);
    expect(version.signatures).toEqual([]);
    const bundle = await sign(release.privatePem, 'later.onnx', content);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/iris/versions/${version.number}/signatures`,
      payload: { bundle },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ signer: 'release-team', status: 'verified' });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/iris/versions/${version.number}/signatures`,
      payload: { bundle },
    });
    expectProblem(again, 409, 'signature_exists');
  });

  it('refuses a trusted signature over other content, storing nothing', async () => {
    const content = Buffer.concat([iris, Buffer.from('other')]);
    const version = await push(t, 'iris', { kind: 'file' }, [{ path: 'weights.bin', content }]);
    const bundle = await sign(release.privatePem, 'other.onnx', Buffer.from('not this model'));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/iris/versions/${version.number}/signatures`,
      payload: { bundle },
    });
    expectProblem(res, 400, 'signature_mismatch');
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/models/iris/versions/${version.number}` });
    expect(read.json().signatures).toEqual([]);
    // Sent with a push, the same signature refuses the whole push.
    const fresh = Buffer.concat([iris, Buffer.from('fresh')]);
    const pushed = await pushRaw(t, 'iris', { kind: 'file', signature: bundle }, [
      { path: 'weights.bin', content: fresh },
    ]);
    expectProblem(pushed, 400, 'signature_mismatch');
  });

  it('refuses a signature by an untrusted key, and a malformed bundle', async () => {
    const content = Buffer.concat([iris, Buffer.from('untrusted')]);
    const version = await push(t, 'iris', { kind: 'file' }, [{ path: 'weights.bin', content }]);
    const bundle = await sign(stranger.privatePem, 'untrusted.onnx', content);
    const url = `/api/v1/models/iris/versions/${version.number}/signatures`;
    expectProblem(
      await t.app.inject({ method: 'POST', url, payload: { bundle } }),
      400,
      'signature_untrusted',
    );
    expectProblem(
      await t.app.inject({ method: 'POST', url, payload: { bundle: '{"not":"a bundle"}' } }),
      400,
      'signature_malformed',
    );
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/models/iris/versions/${version.number}` });
    expect(read.json().signatures).toEqual([]);
  });

  it('refuses keys that are not ECDSA P-256/384/521, and duplicate signers', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signers',
      payload: { name: 'rsa-team', publicKey: rsa },
    });
    expectProblem(bad, 400, 'signing_key_unsupported');
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signers',
      payload: { name: 'release-team', publicKey: stranger.publicPem },
    });
    expectProblem(dup, 409, 'signer_exists');
  });

  it('lets only admins manage signers (a contributor is refused and the refusal recorded)', async () => {
    const contributor = await t.tokenFor({ name: 'ci', roles: ['contributor'] });
    const headers = { authorization: `Bearer ${contributor}` };
    const add = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signers',
      headers,
      payload: { name: 'sneaky', publicKey: stranger.publicPem },
    });
    expectProblem(add, 403, 'forbidden');
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/signers', headers }), 403, 'forbidden');
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: '/api/v1/signers/release-team', headers }),
      403,
      'forbidden',
    );
  });

  it('shows signatures as revoked once their signer is revoked, everywhere', async () => {
    const ops = keyPair('secp384r1');
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signers',
      payload: { name: 'ops', publicKey: ops.publicPem, environments: ['staging', 'canary'] },
    });
    expect(added.statusCode, added.body).toBe(201);
    await createModel(t, 'revoked-demo');
    const bundle = await sign(ops.privatePem, 'iris.onnx', iris);
    const version = await push(t, 'revoked-demo', { kind: 'file', signature: bundle }, [
      { path: 'iris.onnx', content: iris },
    ]);
    expect(version.signatures[0]).toMatchObject({ signer: 'ops', status: 'verified' });
    expect(version.signedFor).toEqual(['canary', 'staging']);

    const revoke = await t.app.inject({ method: 'DELETE', url: '/api/v1/signers/ops' });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(revoke.json().revokedAt).not.toBeNull();
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: '/api/v1/signers/ops' }),
      409,
      'signer_revoked',
    );
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: '/api/v1/signers/nobody' }),
      404,
      'signer_not_found',
    );

    const detail = await t.app.inject({ method: 'GET', url: '/api/v1/models/revoked-demo/versions/1' });
    expect(detail.json().signatures[0]).toMatchObject({ signer: 'ops', status: 'revoked' });
    // A revoked signer vouches for no environment any more.
    expect(detail.json().signedFor).toEqual([]);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/models/revoked-demo/versions' });
    expect(list.json().items[0].signatures[0].status).toBe('revoked');
    const pulled = await t.app.inject({
      method: 'GET',
      url: '/api/v1/models/revoked-demo/versions/1/files/iris.onnx',
    });
    expect(pulled.headers['x-warden-signatures']).toBe('revoked');

    // A revoked key is no longer trusted for new signatures.
    const content = Buffer.concat([iris, Buffer.from('after revocation')]);
    const next = await push(t, 'revoked-demo', { kind: 'file' }, [{ path: 'weights.bin', content }]);
    const late = await sign(ops.privatePem, 'late.onnx', content);
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/models/revoked-demo/versions/${next.number}/signatures`,
        payload: { bundle: late },
      }),
      400,
      'signature_untrusted',
    );

    const signers = await t.app.inject({ method: 'GET', url: '/api/v1/signers' });
    expect(signers.json().map((s: { name: string }) => s.name)).toEqual(['ops', 'release-team']);
    expect((await auditActions('signing:signer:create')).map((e) => e.resource)).toEqual(
      expect.arrayContaining(['signer:ops', 'signer:release-team']),
    );
    const revocations = (await auditActions('signing:signer:revoke')).filter((e) => e.outcome === 'success');
    expect(revocations.map((e) => e.resource)).toEqual(['signer:ops']);
  });
});
