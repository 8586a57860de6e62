import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, multipartBody, type TestApp } from '../fixtures/test-app.js';

describe('registry API smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('creates a model, pushes a directory version and reads a file back', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/models', payload: { name: 'demo' } });
    expect(created.statusCode).toBe(201);
    const { body, contentType } = multipartBody({ kind: 'directory' }, [
      { path: 'a/b.txt', content: 'hello' },
      { path: 'a.txt', content: 'world' },
    ]);
    const pushed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/models/demo/versions',
      payload: body,
      headers: { 'content-type': contentType },
    });
    expect(pushed.statusCode).toBe(201);
    expect(pushed.json().files.map((f: { path: string }) => f.path)).toEqual(['a/b.txt', 'a.txt']);
    const file = await t.app.inject({ method: 'GET', url: '/api/v1/models/demo/versions/1/files/a/b.txt' });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('hello');
  });
});
