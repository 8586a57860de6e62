import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import {
  api,
  auditEntryOf,
  auditPage,
  bearer,
  expectIntactChain,
  issueWorkingToken,
  pushAs,
} from './security-helpers.js';

// The positive side of the audit log: every change, and every download, is on the record with who did it,
// to what, and the request id the caller was given, so an operator can tie a response to its entry.
describe('audit trail of successful actions, through the full app', () => {
  let t: TestApp;
  let bot: string;
  // The token itself, never its name: "token:<id>".
  let principal: string;
  const weights = Buffer.from(`resnet weights ${'x'.repeat(4096)}`);

  beforeAll(async () => {
    t = await createTestApp();
    const issued = await issueWorkingToken(t, { name: 'ci-bot', roles: ['contributor'] });
    bot = issued.token;
    principal = `token:${issued.id}`;
  });
  afterAll(async () => t?.close());

  const asBot = async (request: InjectOptions) => {
    const res = await t.rawApp.inject({
      ...request,
      headers: { ...(request.headers ?? {}), authorization: bearer(bot) },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    return res;
  };
  /** Issues a viewer token as the admin and revokes it; returns its id, secret and both request ids. */
  const issueAndRevoke = async (name: string) => {
    const create = await t.app.inject({
      method: 'POST',
      url: `${api}/tokens`,
      payload: { name, roles: ['viewer'] },
    });
    expect(create.statusCode, create.body).toBe(201);
    const { id, token } = create.json() as { id: string; token: string };
    const revoke = await t.app.inject({ method: 'DELETE', url: `${api}/tokens/${id}` });
    expect(revoke.statusCode, revoke.body).toBe(204);
    return {
      id,
      token,
      createdBy: create.headers['x-request-id'],
      revokedBy: revoke.headers['x-request-id'],
    };
  };
  const success = (requestId: unknown, action: string, resource: string) => ({
    action,
    outcome: 'success',
    principal,
    // Who, exactly: the display name beside the id, and the credential that proved it.
    actorName: 'ci-bot',
    credential: { kind: 'token', tokenId: principal.slice('token:'.length) },
    resource,
    requestId,
    clientAddress: '127.0.0.1',
  });

  it('creating a model', async () => {
    const res = await asBot({ method: 'POST', url: `${api}/models`, payload: { name: 'resnet' } });
    const entry = await auditEntryOf(t, 'registry:model:create', res);
    expect(entry).toMatchObject(
      success(res.headers['x-request-id'], 'registry:model:create', 'model:resnet'),
    );
  });

  it('pushing a version', async () => {
    const res = await asBot(pushAs(undefined, 'resnet', [{ path: 'weights.bin', content: weights }]));
    const entry = await auditEntryOf(t, 'registry:version:push', res);
    expect(entry).toMatchObject({
      ...success(res.headers['x-request-id'], 'registry:version:push', 'version:resnet@1'),
      details: { digest: res.json().digest, files: 1, size: weights.length },
    });
  });

  it('setting an alias', async () => {
    const res = await asBot({
      method: 'PUT',
      url: `${api}/models/resnet/aliases/prod`,
      payload: { version: 1, reason: 'first release' },
    });
    const entry = await auditEntryOf(t, 'registry:alias:set', res);
    expect(entry).toMatchObject({
      ...success(res.headers['x-request-id'], 'registry:alias:set', 'alias:resnet@prod'),
      details: { from: null, to: 1, reason: 'first release' },
    });
  });

  it('downloading a file: on the record by the time the headers arrive, before the body is read', async () => {
    const address = await t.rawApp.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.rawApp.server.address() as AddressInfo).port;
    expect(address).toContain(String(port));
    const url = `http://127.0.0.1:${port}${api}/models/resnet/versions/prod/files/weights.bin`;
    const { requestId, entriesAtHeaders, body } = await new Promise<{
      requestId: string;
      entriesAtHeaders: unknown[];
      body: Buffer;
    }>((resolve, reject) => {
      http
        .get(url, { headers: { authorization: bearer(bot) } }, (res) => {
          res.pause();
          const id = String(res.headers['x-request-id']);
          auditPage(t, { action: 'registry:artifact:read' })
            .then(({ items }) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                resolve({
                  requestId: id,
                  entriesAtHeaders: items.filter((e) => e.requestId === id),
                  body: Buffer.concat(chunks),
                }),
              );
              res.resume();
            })
            .catch(reject);
        })
        .on('error', reject);
    });
    expect(body.equals(weights)).toBe(true);
    expect(entriesAtHeaders).toEqual([
      expect.objectContaining({
        ...success(requestId, 'registry:artifact:read', 'version:resnet@1'),
        details: { path: 'weights.bin', digest: `sha256:${sha256(weights)}` },
      }),
    ]);
  });

  it('downloading through inject: the entry is there right after the response', async () => {
    const res = await asBot({ method: 'GET', url: `${api}/models/resnet/versions/1/files/weights.bin` });
    expect(res.rawPayload.equals(weights)).toBe(true);
    const entry = await auditEntryOf(t, 'registry:artifact:read', res);
    expect(entry).toMatchObject(
      success(res.headers['x-request-id'], 'registry:artifact:read', 'version:resnet@1'),
    );
  });

  it('issuing and revoking a token: each on the record, with the admin as principal', async () => {
    const { id, token } = await issueAndRevoke('short-lived');
    const resource = `token:${id}`;
    const [created] = (await auditPage(t, { action: 'identity:token:create', resource })).items;
    expect(created).toMatchObject({
      outcome: 'success',
      principal: t.adminId,
      actorName: 'admin',
      credential: { kind: 'token', tokenId: t.adminId.slice('token:'.length) },
      details: { name: 'short-lived', subject: 'service:short-lived', roles: 'viewer' },
    });
    const entries = (await auditPage(t, { action: 'identity:token:revoke', resource })).items;
    expect(entries).toEqual([
      expect.objectContaining({ outcome: 'success', principal: t.adminId, resource }),
    ]);
    // The secret the answer carried is nowhere in the log.
    expect((await auditPage(t)).text).not.toContain(token);
  });

  it('the token entries carry the request ids of the POST and the DELETE', async () => {
    const { id, createdBy, revokedBy } = await issueAndRevoke('tracked');
    const [created] = (await auditPage(t, { action: 'identity:token:create', resource: `token:${id}` }))
      .items;
    const [revoked] = (await auditPage(t, { action: 'identity:token:revoke', resource: `token:${id}` }))
      .items;
    expect(created?.requestId).toBe(createdBy);
    expect(revoked?.requestId).toBe(revokedBy);
  });

  it('a token named "admin" is not the admin: its entries name its own id and credential', async () => {
    const impostor = await issueWorkingToken(t, { name: 'admin', roles: ['contributor'] });
    const res = await t.rawApp.inject({
      method: 'POST',
      url: `${api}/models`,
      payload: { name: 'named-like-admin' },
      headers: { authorization: bearer(impostor.token) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const entry = await auditEntryOf(t, 'registry:model:create', res);
    expect(entry).toMatchObject({
      principal: `token:${impostor.id}`,
      actorName: 'admin',
      credential: { kind: 'token', tokenId: impostor.id },
    });
    expect(entry.principal).not.toBe(t.adminId);
    expect(res.json().createdBy).toBe(`token:${impostor.id}`);
  });

  it('the chain those entries form verifies', async () => {
    await expectIntactChain(t);
  });
});
