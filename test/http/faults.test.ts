import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blobFile,
  createModel,
  expectProblem,
  push,
  pushRaw,
  rawMultipart,
  sha256,
  snapshotStore,
  stagingDir,
  stagingEntries,
  waitFor,
} from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';

// Failures from outside the request: clients that vanish, disks that change under us, pushes that race.
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await createModel(t, 'demo');
});
afterEach(async () => t?.close());

const api = '/api/v1';
const MiB = 1024 * 1024;

/** Bytes staged so far by in-flight uploads. */
function stagedBytes(): number {
  let total = 0;
  for (const area of stagingEntries(t)) {
    const dir = path.join(stagingDir(t), area);
    for (const f of readdirSync(dir)) total += statSync(path.join(dir, f)).size;
  }
  return total;
}

describe('a client that disconnects mid-upload', () => {
  it('leaves no staging area, no blob and no version, and the server keeps serving', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const boundary = '----warden-abort';
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST ${api}/models/demo/versions HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${t.adminToken}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${64 * MiB}\r\n\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"kind":"directory"}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="done.bin"\r\n\r\n` +
        'a complete first file\r\n' +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`,
    );
    socket.write(randomBytes(2 * MiB));
    // Only cut the connection once the server is demonstrably writing the second file.
    expect(await waitFor(() => stagedBytes() >= MiB)).toBe(true);
    socket.destroy();

    expect(await waitFor(() => stagingEntries(t).length === 0)).toBe(true);
    const after = await snapshotStore(t);
    expect(after).toEqual({ versions: { demo: [] }, blobs: [], staging: [] });

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const v = await push(t, 'demo', { kind: 'file' }, [{ path: 'w.bin', content: 'after the abort' }]);
    expect(v.number).toBe(1);
    expect((await snapshotStore(t)).blobs).toHaveLength(1);
  });
});

describe('a multipart body cut short', () => {
  // @fastify/busboy 3 reports a body that ends before its closing boundary as a bare "Unexpected end of
  // multipart data" Error; unmapped, that was a 500.
  it('is a 400 upload_aborted problem, storing nothing', async () => {
    const { body, contentType } = rawMultipart([
      { name: 'metadata', content: '{"kind":"directory"}' },
      { name: 'file', filename: 'a.bin', content: Buffer.alloc(5000, 'a') },
    ]);
    const before = await snapshotStore(t);
    const res = await t.app.inject({
      method: 'POST',
      url: `${api}/models/demo/versions`,
      payload: body.subarray(0, 3000),
      headers: { 'content-type': contentType },
    });
    expectProblem(res, 400, 'upload_aborted', t);
    expect(await snapshotStore(t)).toEqual(before);
  });
});

describe('stored bytes that change on disk', () => {
  const secret = Buffer.from(`TOP-SECRET-WEIGHTS-${'0123456789'.repeat(200)}`);
  const download = () => t.app.inject({ method: 'GET', url: `${api}/models/demo/versions/1/files/w.bin` });

  it('refuses to serve a tampered blob with a 500 blob_integrity problem that leaks nothing', async () => {
    await push(t, 'demo', { kind: 'file' }, [{ path: 'w.bin', content: secret }]);
    const file = blobFile(t, sha256(secret));
    const bytes = readFileSync(file);
    bytes[100] = (bytes[100] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);

    const res = await download();
    const body = expectProblem(res, 500, 'blob_integrity', t);
    expect(body.details).toEqual({ digest: sha256(secret) });
    expect(res.body).not.toContain('TOP-SECRET');
    expect(res.body).not.toContain('0123456789');
    expect(res.body).not.toContain('blobs');
    expect(res.headers['x-warden-digest']).toBeUndefined();

    const meta = await t.app.inject({ method: 'GET', url: `${api}/models/demo/versions/1` });
    expect(meta.statusCode).toBe(200);
    expect(meta.json().files).toEqual([
      { path: 'w.bin', digest: `sha256:${sha256(secret)}`, size: secret.length },
    ]);
  });

  it('serves a large file in one pass and cuts the response short at the first chunk that fails to authenticate', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    await push(t, 'demo', { kind: 'file' }, [{ path: 'w.bin', content: big }]);
    const file = blobFile(t, sha256(big));
    const bytes = readFileSync(file);
    // Second 1 MiB chunk (4 KiB header, chunks of 1 MiB + 16-byte tag): flip one ciphertext byte.
    const at = 4096 + (1024 * 1024 + 16) + 500;
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);

    // Headers went out with the first, authenticated chunk; the response is destroyed at the damaged one,
    // so the client sees a body shorter than its content-length, never an unauthenticated byte.
    await expect(download()).rejects.toThrow(/destroyed before completion/);
    // Put right, the same file streams whole, in one pass.
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);
    const whole = await download();
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.equals(big)).toBe(true);
  });

  it('refuses a truncated or extended blob the same way', async () => {
    await push(t, 'demo', { kind: 'file' }, [{ path: 'w.bin', content: secret }]);
    const file = blobFile(t, sha256(secret));
    writeFileSync(file, secret.subarray(0, 10));
    expectProblem(await download(), 500, 'blob_integrity', t);
    writeFileSync(file, Buffer.concat([secret, Buffer.from('x')]));
    expectProblem(await download(), 500, 'blob_integrity', t);
  });

  it('answers a deleted blob with a problem and serves nothing', async () => {
    await push(t, 'demo', { kind: 'file' }, [{ path: 'w.bin', content: secret }]);
    unlinkSync(blobFile(t, sha256(secret)));
    const res = await download();
    const body = expectProblem(res, 404, 'blob_not_found', t);
    expect(body.details).toEqual({ digest: sha256(secret) });
    expect(res.body).not.toContain('TOP-SECRET');
    expect(res.headers['x-warden-digest']).toBeUndefined();
  });
});

describe('concurrent pushes', () => {
  const big = (seed: string) => Buffer.concat([Buffer.from(seed), randomBytes(3 * MiB)]);

  it('of the same content: exactly one 201 and one 409 version_exists', async () => {
    const content = big('same');
    const files = [{ path: 'w.bin', content }];
    const results = await Promise.all([
      pushRaw(t, 'demo', { kind: 'file' }, files),
      pushRaw(t, 'demo', { kind: 'file' }, files),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409]);
    const conflict = results.find((r) => r.statusCode === 409)!;
    expect(expectProblem(conflict, 409, 'version_exists', t).details.version).toBe(1);
    const store = await snapshotStore(t);
    expect(store.versions.demo).toHaveLength(1);
    expect(store.blobs).toHaveLength(1);
    expect(store.staging).toEqual([]);
  });

  it('of different content: versions 1 and 2, both intact', async () => {
    const contents = [big('one'), big('two')];
    const results = await Promise.all(
      contents.map((content) => pushRaw(t, 'demo', { kind: 'file' }, [{ path: 'w.bin', content }])),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(results.map((r) => r.json().number).sort()).toEqual([1, 2]);
    for (const [i, res] of results.entries()) {
      const number = res.json().number;
      const file = await t.app.inject({
        method: 'GET',
        url: `${api}/models/demo/versions/${number}/files/w.bin`,
      });
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(contents[i]!)).toBe(true);
    }
    expect((await snapshotStore(t)).blobs).toHaveLength(2);
  });

  it('of the same bytes to two models: both published, one shared blob', async () => {
    await createModel(t, 'other');
    const content = big('shared');
    const results = await Promise.all(
      ['demo', 'other'].map((m) => pushRaw(t, m, { kind: 'file' }, [{ path: 'w.bin', content }])),
    );
    expect(results.map((r) => r.statusCode)).toEqual([201, 201]);
    const store = await snapshotStore(t);
    expect(store.blobs).toEqual([path.join(sha256(content).slice(0, 2), sha256(content).slice(2))]);
    for (const m of ['demo', 'other']) {
      const file = await t.app.inject({ method: 'GET', url: `${api}/models/${m}/versions/1/files/w.bin` });
      expect(file.rawPayload.equals(content)).toBe(true);
    }
  });
});
