import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, expectProblem, expectUnchanged, push, pushRaw } from '../fixtures/http-helpers.js';
import { createTestApp, multipartBody, type TestApp } from '../fixtures/test-app.js';

// Backend-independent refusals of JSON bodies, names, references and routes (SQLite only).
const api = '/api/v1';

describe('bad input to the JSON API', () => {
  let t: TestApp;
  let v1: { digest: string };
  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris');
    v1 = await push(t, 'iris', { kind: 'file', metrics: { accuracy: 0.9 } }, [
      { path: 'm.bin', content: 'v1' },
    ]);
  });
  afterAll(async () => t?.close());

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `${api}${url}`,
      ...(payload === undefined ? {} : { payload }),
    });

  it('answers malformed JSON with 400 malformed_json', async () => {
    for (const payload of ['{"name":', '{name: "x"}', '']) {
      const res = await expectUnchanged(t, () =>
        t.app.inject({
          method: 'POST',
          url: `${api}/models`,
          payload,
          headers: { 'content-type': 'application/json' },
        }),
      );
      expectProblem(res, 400, 'malformed_json', t);
    }
  });

  it('refuses unknown fields in JSON bodies, naming each one', async () => {
    const cases: [() => ReturnType<typeof send>, string][] = [
      [() => send('POST', '/models', { name: 'x', evil: true }), 'body/evil'],
      [() => send('PATCH', '/models/iris', { description: 'd', evil: 1 }), 'body/evil'],
      [() => send('PUT', '/models/iris/aliases/prod', { version: 1, evil: 'x' }), 'body/evil'],
    ];
    for (const [act, path] of cases) {
      const body = expectProblem(await expectUnchanged(t, act), 400, 'invalid_request', t);
      expect(body.errors).toContainEqual({ path, message: 'unknown field' });
    }
    expect((await send('GET', '/models/x')).statusCode).toBe(404);
    expect((await send('GET', '/models/iris')).json().description).toBe('');
  });

  it('refuses a JSON body over limits.maxJsonBodyBytes with 413 body_too_large', async () => {
    const small = await createTestApp({ limits: { maxJsonBodyBytes: 2048 } });
    try {
      const res = await expectUnchanged(small, () =>
        small.app.inject({
          method: 'POST',
          url: `${api}/models`,
          payload: { name: 'big', description: 'x'.repeat(4096) },
        }),
      );
      expect(expectProblem(res, 413, 'body_too_large', small).details).toEqual({ limit: 2048 });
      const ok = await small.app.inject({ method: 'POST', url: `${api}/models`, payload: { name: 'fits' } });
      expect(ok.statusCode).toBe(201);
    } finally {
      await small.close();
    }
  });

  it.each(['Iris', '-a', 'a--b', '../x', 'a-', '1a', 'a_b', 'a'.repeat(64)])(
    'refuses model name %j with 400 invalid_name',
    async (name) => {
      const res = await expectUnchanged(t, () => send('POST', '/models', { name }));
      expectProblem(res, 400, 'invalid_name', t);
    },
  );

  it('refuses an invalid tag and a duplicate model name', async () => {
    const tag = await expectUnchanged(t, () =>
      send('POST', '/models', { name: 'tagged', tags: ['Bad Tag'] }),
    );
    expectProblem(tag, 400, 'invalid_name', t);
    const dup = await expectUnchanged(t, () =>
      send('POST', '/models', { name: 'iris', description: 'again' }),
    );
    expect(expectProblem(dup, 409, 'model_exists', t).details).toEqual({ model: 'iris' });
    expect((await send('GET', '/models/iris')).json().description).toBe('');
  });

  it('answers a missing model with 404 model_not_found on every route', async () => {
    for (const [method, url] of [
      ['GET', '/models/nope'],
      ['PATCH', '/models/nope'],
      ['GET', '/models/nope/versions'],
      ['GET', '/models/nope/versions/1'],
      ['GET', '/models/nope/aliases'],
    ] as const) {
      const res = await expectUnchanged(t, () =>
        send(method, url, method === 'PATCH' ? { description: 'd' } : undefined),
      );
      expectProblem(res, 404, 'model_not_found', t);
    }
    const pushed = await expectUnchanged(t, () =>
      pushRaw(t, 'nope', { kind: 'file' }, [{ path: 'x', content: 'x' }]),
    );
    expectProblem(pushed, 404, 'model_not_found', t);
  });

  it.each(['99', 'nope', `sha256:${'f'.repeat(64)}`, `sha256:${'f'.repeat(12)}`])(
    'answers unknown version %s with 404 version_not_found',
    async (ref) => {
      const res = await expectUnchanged(t, () => send('GET', `/models/iris/versions/${ref}`));
      expect(expectProblem(res, 404, 'version_not_found', t).details.model).toBe('iris');
    },
  );

  it.each(['0', '-1', '1.5', 'sha256:zz', 'sha256:abc', `sha256:${'A'.repeat(64)}`, 'A%20B', 'Prod'])(
    'refuses malformed version reference %s with 400 invalid_version_ref',
    async (ref) => {
      const res = await expectUnchanged(t, () => send('GET', `/models/iris/versions/${ref}`));
      expectProblem(res, 400, 'invalid_version_ref', t);
    },
  );

  it('refuses PATCH and PUT on a published version with 409 version_immutable', async () => {
    const before = (await send('GET', '/models/iris/versions/1')).json();
    for (const method of ['PATCH', 'PUT'] as const) {
      for (const ref of ['1', v1.digest]) {
        const res = await expectUnchanged(t, () =>
          send(method, `/models/iris/versions/${ref}`, { metrics: { accuracy: 1 }, digest: 'sha256:00' }),
        );
        expect(expectProblem(res, 409, 'version_immutable', t).details).toEqual({
          model: 'iris',
          version: 1,
        });
      }
    }
    expect((await send('GET', '/models/iris/versions/1')).json()).toEqual(before);
  });

  it('refuses bad alias requests without recording history', async () => {
    const name = await expectUnchanged(t, () => send('PUT', '/models/iris/aliases/Prod', { version: 1 }));
    expectProblem(name, 400, 'invalid_name', t);
    const target = await expectUnchanged(t, () => send('PUT', '/models/iris/aliases/prod', { version: 7 }));
    expectProblem(target, 404, 'version_not_found', t);
    const gone = await expectUnchanged(t, () => send('DELETE', '/models/iris/aliases/prod'));
    expectProblem(gone, 404, 'alias_not_found', t);
    expectProblem(await send('GET', '/models/iris/aliases/prod/history'), 404, 'alias_not_found', t);
  });

  it('answers an unknown route with a 404 route_not_found problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expect(expectProblem(res, 404, 'route_not_found', t).detail).toContain('/api/v1/nothing-here');
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: `${api}/models/iris` }),
      404,
      'route_not_found',
      t,
    );
  });

  it('answers a file the version does not hold with 404 file_not_in_version, also for traversal', async () => {
    for (const path of ['missing.bin', 'm.bin/x', '..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '.', '']) {
      const res = await send('GET', `/models/iris/versions/1/files/${path}`);
      expectProblem(res, 404, 'file_not_in_version', t);
      expect(res.body).not.toContain('root:');
    }
  });
});

// busboy skips a part whose filename holds CR or LF without telling @fastify/multipart, so the server never
// sees that file. The required client root digest is what catches it: the push is refused, never published
// without the file.
describe('a file name with a line break', () => {
  for (const [label, digest, code] of [
    ['with the client digest', undefined, 'root_digest_mismatch'],
    ['without a digest field', null, 'invalid_multipart'],
  ] as const) {
    it(`is refused (${label}) and nothing is stored`, async () => {
      const t = await createTestApp();
      try {
        await createModel(t, 'up');
        const res = await expectUnchanged(t, () =>
          pushRaw(
            t,
            'up',
            { kind: 'directory' },
            [
              { path: 'kept.bin', content: 'kept' },
              { path: 'a\nb', content: 'dropped' },
            ],
            { digest },
          ),
        );
        expectProblem(res, 400, code, t);
      } finally {
        await t.close();
      }
    });
  }
});

// Each of these answered 500 before; now each is a precise 4xx problem and stores nothing.
describe('requests that once answered 500', () => {
  let t: TestApp;
  const url = `${api}/models/iris/versions`;
  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'iris');
    await push(t, 'iris', { kind: 'file' }, [{ path: 'm.bin', content: 'v1' }]);
  });
  afterAll(async () => t?.close());

  const upload = (body: Buffer | string, contentType: string) =>
    expectUnchanged(t, () =>
      t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType } }),
    );

  it('refuses a multipart boundary over 70 characters (RFC 2046), even past the parser’s 256', async () => {
    for (const length of [71, 300]) {
      const { body, contentType } = multipartBody({ kind: 'file' }, [{ path: 'a', content: 'a' }], {
        boundary: 'b'.repeat(length),
      });
      const problem = expectProblem(await upload(body, contentType), 400, 'invalid_multipart', t);
      expect(problem.detail).toContain('70 characters');
    }
    // Twice in one content type: the longer one counts, whichever the parser would take.
    const { body } = multipartBody({ kind: 'file' }, [{ path: 'a', content: 'a' }], { boundary: 'b' });
    const twice = `multipart/form-data; boundary=b; boundary="${'c'.repeat(300)}"`;
    expectProblem(await upload(body, twice), 400, 'invalid_multipart', t);
    const fits = multipartBody({ kind: 'file' }, [{ path: 'a70', content: 'a70' }], {
      boundary: 'b'.repeat(70),
    });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url,
          payload: fits.body,
          headers: { 'content-type': fits.contentType },
        })
      ).statusCode,
    ).toBe(201);
  });

  it('refuses a file part without a filename with 400 invalid_multipart', async () => {
    const body =
      '--B\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n{"kind":"file"}\r\n' +
      '--B\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n' +
      '--B--\r\n';
    const problem = expectProblem(
      await upload(body, 'multipart/form-data; boundary=B'),
      400,
      'invalid_multipart',
      t,
    );
    expect(problem.detail).toContain('filename');
  });

  it('refuses params nested thousands of levels deep, or over 64 KiB, naming metadata/params', async () => {
    const deep = `{"kind":"file","params":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const wide = { kind: 'file', params: { a: 'x'.repeat(64 * 1024) } };
    const nested33 = { kind: 'file', params: JSON.parse(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`) };
    for (const [metadata, message] of [
      [deep, 'must nest at most 32 levels deep'],
      [nested33, 'must nest at most 32 levels deep'],
      [wide, 'must be at most 65536 bytes as JSON'],
    ] as const) {
      const { body, contentType } = multipartBody(metadata, [{ path: 'p.bin', content: 'p' }]);
      const problem = expectProblem(await upload(body, contentType), 400, 'invalid_request', t);
      expect(problem.errors).toContainEqual({ path: 'metadata/params', message });
    }
    // Exactly 32 levels, counting the params object itself, are fine.
    const ok = { kind: 'file', params: JSON.parse(`${'{"a":'.repeat(32)}1${'}'.repeat(32)}`) };
    const fits = multipartBody(ok, [{ path: 'p.bin', content: 'p32' }]);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: fits.body,
      headers: { 'content-type': fits.contentType },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses deep params in the push use case too, for callers other than HTTP', async () => {
    const admin = await t.container.authenticate(`Bearer ${t.adminToken}`);
    if (!admin.ok) throw new Error('admin token');
    const ctx = { principal: admin.principal, requestId: null, clientAddress: null };
    const params = JSON.parse(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const files = (async function* () {})();
    await expect(
      t.container.registry.pushVersion(
        'iris',
        { kind: 'file', params },
        { files, expectedDigest: () => '' },
        ctx,
      ),
    ).rejects.toMatchObject({ code: 'invalid_params', kind: 'invalid' });
  });

  it('answers a body type no route takes with 415 unsupported_media_type, naming it', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await expectUnchanged(t, () =>
        t.app.inject({
          method: 'POST',
          url: `${api}/models`,
          payload: 'name=x',
          headers: { 'content-type': type },
        }),
      );
      expect(expectProblem(res, 415, 'unsupported_media_type', t)).toMatchObject({
        title: 'Unsupported Media Type',
        detail: `Content type "${type}" is not accepted here.`,
      });
    }
  });

  it('answers a URL that cannot be decoded with 400 malformed_url, before authentication', async () => {
    for (const bad of ['/models/%E0%A4%A', '/models/%', '/models/iris/versions/%zz']) {
      for (const app of [t.app, t.rawApp]) {
        const res = await app.inject({ method: 'GET', url: `${api}${bad}` });
        expectProblem(res, 400, 'malformed_url', t);
      }
    }
  });

  it('answers an over-long URL or path parameter with 414 uri_too_long, before authentication', async () => {
    for (const app of [t.app, t.rawApp]) {
      const longUrl = await app.inject({ method: 'GET', url: `${api}/models?after=${'a'.repeat(9000)}` });
      expect(expectProblem(longUrl, 414, 'uri_too_long', t)).toMatchObject({ title: 'URI Too Long' });
      const longParam = await app.inject({ method: 'GET', url: `${api}/models/${'a'.repeat(5000)}` });
      expect(expectProblem(longParam, 414, 'uri_too_long', t).details).toEqual({ limit: 4096 });
    }
  });

  // PostgreSQL's text cannot hold NUL (it answered 500 there) and a lone surrogate would be kept as U+FFFD.
  it('refuses NUL and unpaired surrogates in paths, queries, JSON bodies and push metadata', async () => {
    const cases: [() => Promise<LightMyRequestResponse>, string, string][] = [
      [() => t.app.inject({ method: 'GET', url: `${api}/models/a%00b` }), 'params', 'params/name'],
      [
        () => t.app.inject({ method: 'GET', url: `${api}/models?after=%00` }),
        'querystring',
        'querystring/after',
      ],
      [
        () => t.app.inject({ method: 'GET', url: `${api}/audit?principal=a%00` }),
        'querystring',
        'querystring/principal',
      ],
      // Routes of other plugins: the check is attached route by route, so each must still get it.
      [() => t.app.inject({ method: 'GET', url: `${api}/environments/a%00b` }), 'params', 'params/env'],
      [() => t.app.inject({ method: 'DELETE', url: `${api}/tokens/a%00b` }), 'params', 'params/id'],
      [
        () =>
          t.app.inject({ method: 'PATCH', url: `${api}/models/iris`, payload: { description: 'a\u0000b' } }),
        'body',
        'body/description',
      ],
      [
        () =>
          t.app.inject({
            method: 'POST',
            url: `${api}/models`,
            payload: '{"name":"x","tags":["ok","\\ud800"]}',
            headers: { 'content-type': 'application/json' },
          }),
        'body',
        'body/tags/1',
      ],
      [
        () => {
          const { body, contentType } = multipartBody(
            { kind: 'file', lineage: { trainingRun: 'run\u0000' } },
            [{ path: 'n.bin', content: 'n' }],
          );
          return t.app.inject({
            method: 'POST',
            url,
            payload: body,
            headers: { 'content-type': contentType },
          });
        },
        'metadata',
        'metadata/lineage/trainingRun',
      ],
    ];
    for (const [act, where, path] of cases) {
      const problem = expectProblem(await expectUnchanged(t, act), 400, 'invalid_request', t);
      expect(problem.detail).toBe(`The request ${where} is invalid.`);
      expect(problem.errors).toEqual([
        { path, message: 'must not contain NUL or unpaired surrogate characters' },
      ]);
    }
  });

  it('gives 410 its own title, "Gone"', async () => {
    await push(t, 'iris', { kind: 'file' }, [{ path: 'gone.bin', content: 'gone' }]);
    const versions = (await t.app.inject({ method: 'GET', url: `${url}?limit=1` })).json();
    const number = versions.items[0].number;
    const del = await t.app.inject({ method: 'DELETE', url: `${url}/${number}?reason=test` });
    expect(del.statusCode, del.body).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `${url}/${number}/files/gone.bin` });
    expect(expectProblem(res, 410, 'version_deleted', t).title).toBe('Gone');
  });
});
