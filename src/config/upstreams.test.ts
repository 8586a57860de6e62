import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigProblem, configInvalid, loadConfig } from './load-config.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'warden-upstreams-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (err) {
    if (configInvalid.is(err)) return (err.details as { problems: ConfigProblem[] }).problems;
    throw err;
  }
  throw new Error('expected config_invalid');
}

const upstreams = (value: unknown) => ({ WARDEN_GATEWAY_UPSTREAMS: JSON.stringify(value) });

describe('gateway.upstreams', () => {
  it('reads WARDEN_GATEWAY_UPSTREAMS, header values from the environment and files, and fills the defaults', () => {
    const file = path.join(dir, 'token');
    writeFileSync(file, 'file-secret-value\n');
    const config = loadConfig({
      cwd: dir,
      env: {
        TRITON_TOKEN: 'Bearer env-secret-value',
        ...upstreams({
          fraud: {
            protocol: 'v2',
            url: 'https://triton.internal:8000/',
            headers: { authorization: { env: 'TRITON_TOKEN' }, 'x-api-key': { file: 'token' } },
          },
          assistant: {
            protocol: 'openai',
            url: 'http://vllm:8000/v1',
            model: 'meta-llama/Llama-3.1-8B-Instruct',
            timeoutMs: 60_000,
            maxConcurrent: 8,
            breaker: { failures: 3, halfOpenAfterMs: 10_000 },
          },
        }),
      },
    });
    const { fraud, assistant } = config.gateway.upstreams;
    expect(fraud).toMatchObject({
      protocol: 'v2',
      url: 'https://triton.internal:8000',
      model: 'fraud',
      timeoutMs: 30_000,
      maxConcurrent: null,
      breaker: { failures: 5, halfOpenAfterMs: 30_000 },
    });
    expect(fraud?.headers.authorization?.reveal()).toBe('Bearer env-secret-value');
    expect(fraud?.headers['x-api-key']?.reveal()).toBe('file-secret-value');
    expect(assistant).toMatchObject({
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      maxConcurrent: 8,
      timeoutMs: 60_000,
    });
    // The values never print: not as JSON, not through inspect (what a logger or a debugger shows).
    for (const shown of [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(fraud?.headers.authorization),
    ])
      expect(shown).not.toMatch(/secret-value/);
  });

  it('refuses credentials, queries and non-http URLs, naming the setting', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: upstreams({
          a: { protocol: 'v2', url: 'http://user:pw@triton:8000' },
          b: { protocol: 'v2', url: 'https://triton:8000/?api_key=abc' },
          c: { protocol: 'v2', url: 'file:///etc/passwd' },
          d: { protocol: 'v2', url: 'not a url' },
        }),
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: 'gateway.upstreams.a.url',
          message: expect.stringMatching(/must not carry credentials/),
        }),
        expect.objectContaining({ key: 'gateway.upstreams.b.url', message: expect.stringMatching(/query/) }),
        expect.objectContaining({ key: 'gateway.upstreams.c.url', message: 'must be an http or https URL' }),
        expect.objectContaining({ key: 'gateway.upstreams.d.url', message: 'is not a URL' }),
      ]),
    );
    expect(JSON.stringify(problems)).not.toContain('pw@');
  });

  it('refuses inline secrets, missing variables and files, reserved headers and unknown fields', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          EMPTY: '',
          BROKEN: 'Bearer x\r\nX-Evil: 1',
          ...upstreams({
            a: { protocol: 'v2', url: 'http://t:8000', headers: { authorization: 'Bearer inline-secret' } },
            b: { protocol: 'v2', url: 'http://t:8000', headers: { authorization: { env: 'NOT_SET' } } },
            c: {
              protocol: 'v2',
              url: 'http://t:8000',
              headers: { authorization: { file: '/nonexistent/x' } },
            },
            d: { protocol: 'v2', url: 'http://t:8000', headers: { host: { env: 'EMPTY' } } },
            e: { protocol: 'v2', url: 'http://t:8000', headers: { authorization: { env: 'BROKEN' } } },
            f: { protocol: 'grpc', url: 'http://t:8000' },
            g: { protocol: 'v2', url: 'http://t:8000', retries: 3 },
            h: { protocol: 'v2', url: 'http://t:8000', timeoutMs: 5 },
          }),
        },
      }),
    );
    const keys = problems.map((p) => p.key);
    for (const key of [
      'a.headers.authorization',
      'b.headers.authorization',
      'c.headers.authorization',
      'd.headers.host',
      'e.headers.authorization',
      'f.protocol',
      'h.timeoutMs',
    ])
      expect(keys, key).toContain(`gateway.upstreams.${key}`);
    expect(problems.find((p) => p.key === 'gateway.upstreams.b.headers.authorization')?.message).toBe(
      'environment variable NOT_SET is not set',
    );
    expect(problems.find((p) => p.key === 'gateway.upstreams.c.headers.authorization')?.message).toMatch(
      /file \/nonexistent\/x cannot be read \(not found\)/,
    );
    expect(problems.find((p) => p.key === 'gateway.upstreams.e.headers.authorization')?.message).toMatch(
      /holds a control character/,
    );
    expect(keys.some((k) => k.includes('retries'))).toBe(true);
    expect(JSON.stringify(problems)).not.toMatch(/inline-secret|X-Evil/);
  });

  it('takes upstreams from the config file too', () => {
    const file = path.join(dir, 'warden.json');
    writeFileSync(
      file,
      JSON.stringify({
        gateway: { upstreams: { m: { protocol: 'openai', url: 'https://api.example/v1' } } },
      }),
    );
    const config = loadConfig({ env: {}, file, cwd: dir });
    expect(config.gateway.upstreams.m).toMatchObject({
      protocol: 'openai',
      url: 'https://api.example/v1',
      headers: {},
    });
  });
});
