import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { auth, deploy, eventually, gatewayEnvironments, gatewayWorld } from './gateway-fixtures.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/kserve/${name}`, import.meta.url), 'utf8'));
/** A KServe fixture with only the model's own names put in: input-0 → float_input, output-0 → label. */
const adapted = (name: string) =>
  JSON.parse(
    JSON.stringify(fixture(name))
      .replaceAll('"input-0"', '"float_input"')
      .replaceAll('"output-0"', '"label"'),
  );
const rows = [
  [6.8, 2.8, 4.8, 1.4],
  [6.0, 3.4, 4.5, 1.6],
];

/** The request tritonclient makes for InferInput.set_data_from_numpy(binary_data=True) and no outputs. */
function tritonRequest(values: number[][], extra: Record<string, unknown> = {}) {
  const data = Buffer.alloc(values.flat().length * 4);
  values.flat().forEach((v, i) => {
    data.writeFloatLE(v, i * 4);
  });
  const header = Buffer.from(
    JSON.stringify({
      inputs: [
        {
          name: 'float_input',
          shape: [values.length, 4],
          datatype: 'FP32',
          parameters: { binary_data_size: data.length },
        },
      ],
      parameters: { binary_data_output: true },
      ...extra,
    }),
  );
  return { header, data, body: Buffer.concat([header, data]) };
}

/** Reads a response as tritonclient's InferResult does: JSON header, then binary outputs in order. */
function readResponse(res: { headers: Record<string, unknown>; rawPayload: Buffer }) {
  const length = Number(res.headers['inference-header-content-length']);
  const header = JSON.parse(res.rawPayload.subarray(0, length).toString('utf8'));
  let at = length;
  const values: Record<string, number[]> = {};
  for (const o of header.outputs as {
    name: string;
    datatype: string;
    parameters?: { binary_data_size: number };
    data?: number[];
  }[]) {
    const size = o.parameters?.binary_data_size;
    if (size === undefined) {
      values[o.name] = o.data ?? [];
      continue;
    }
    const bytes = res.rawPayload.subarray(at, at + size);
    at += size;
    values[o.name] =
      o.datatype === 'INT64'
        ? Array.from({ length: size / 8 }, (_, i) => Number(bytes.readBigInt64LE(i * 8)))
        : Array.from({ length: size / 4 }, (_, i) => bytes.readFloatLE(i * 4));
  }
  expect(at).toBe(res.rawPayload.length);
  return { header, values };
}

describe('the binary tensor data extension on a deployed iris model', () => {
  let t: TestApp;
  let token: string;
  let json: { outputs: { name: string; data: number[] }[] };
  const post = (payload: Buffer | string | Readable, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload,
      headers: { ...auth(token), ...headers },
    });

  beforeAll(async () => {
    t = await createTestApp({
      settings: { environments: gatewayEnvironments, 'gateway.maxBodyBytes': 4096 },
    });
    const w = await gatewayWorld(t, { count: 1 });
    token = w.viewer;
    await deploy(t, w.deployer, { model: 'iris', version: 1 });
    await eventually(async () => (await t.app.inject({ url: '/v2/models/iris/ready' })).json().ready);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: adapted('iris_input_v2.json'),
      headers: auth(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    json = res.json();
  });
  afterAll(() => t.close());
  const jsonOf = (name: string) => json.outputs.find((o) => o.name === name)?.data;
  // The same values in FP32, as the binary form carries them (coarsening rounds to decimals FP32 cannot hold).
  const fp32Of = (name: string) => (jsonOf(name) as number[]).map((v) => Math.fround(v));

  it('lists binary_tensor_data among the server’s extensions', async () => {
    expect((await t.rawApp.inject({ url: '/v2' })).json().extensions).toEqual(['binary_tensor_data']);
  });

  it('answers a request built as tritonclient builds it (no Content-Type) in binary, as JSON answers', async () => {
    const { header, body } = tritonRequest(rows);
    const res = await post(body, { 'inference-header-content-length': String(header.length) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['x-warden-model-digest']).toMatch(/^sha256:/);
    const { header: out, values } = readResponse(res);
    expect(out).toMatchObject({ model_name: 'iris', model_version: '1' });
    expect(out.outputs).toEqual([
      { name: 'probabilities', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
      { name: 'label', datatype: 'INT64', shape: [2], parameters: { binary_data_size: 16 } },
    ]);
    expect(values.label).toEqual([1, 1]);
    expect(values.label).toEqual(jsonOf('label'));
    expect(values.probabilities).toEqual(fp32Of('probabilities'));
  });

  it('takes application/octet-stream and application/vnd.* bodies; answers JSON when no output asks binary', async () => {
    const { header, body } = tritonRequest(rows, { parameters: {}, outputs: [{ name: 'label' }] });
    for (const type of ['application/octet-stream', 'application/vnd.kserve.v2+octet-stream']) {
      const res = await post(body, {
        'content-type': type,
        'inference-header-content-length': String(header.length),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().outputs).toEqual([{ name: 'label', datatype: 'INT64', shape: [2], data: [1, 1] }]);
    }
  });

  it('answers KServe’s binary e2e fixtures (JSON in, binary out) as KServe’s tests expect', async () => {
    const one = await t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: adapted('iris_input_v2_binary.json'),
      headers: auth(token),
    });
    expect(one.statusCode, one.body).toBe(200);
    const { header, values } = readResponse(one);
    expect(header.outputs).toEqual([
      { name: 'label', datatype: 'INT64', shape: [2], parameters: { binary_data_size: 16 } },
    ]);
    expect(values.label).toEqual([1, 1]);
    const all = await t.app.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: adapted('iris_input_v2_all_binary.json'),
      headers: auth(token),
    });
    expect(all.statusCode, all.body).toBe(200);
    expect(readResponse(all).values).toEqual({ probabilities: fp32Of('probabilities'), label: [1, 1] });
  });

  describe('refuses a bad binary body with a precise 400 {"error"}', () => {
    const { header, data, body } = tritonRequest(rows);
    const length = String(header.length);
    const cases: [string, Buffer, string, string][] = [
      [
        'a binary section shorter than declared',
        body.subarray(0, body.length - 4),
        length,
        'input "float_input": binary_data_size 32 reaches byte 32 of the binary section, which has 28 bytes',
      ],
      [
        'a binary section longer than declared',
        Buffer.concat([body, Buffer.alloc(4)]),
        length,
        'the binary section has 36 bytes, but the inputs declare 32; 4 bytes are unused',
      ],
      [
        'a header length past the body',
        body,
        String(body.length + 1),
        `Inference-Header-Content-Length is ${body.length + 1}, but the body has only ${body.length} bytes`,
      ],
      [
        'a header length that is not a number',
        body,
        'abc',
        'Inference-Header-Content-Length must be a non-negative integer, got "abc"',
      ],
      [
        'binary_data_size that does not match the shape',
        Buffer.concat([tritonRequest([rows[0] as number[]]).header, data]),
        String(tritonRequest([rows[0] as number[]]).header.length),
        'the binary section has 32 bytes, but the inputs declare 16; 16 bytes are unused',
      ],
      [
        'NaN in binary FP32',
        (() => {
          const r = tritonRequest(rows);
          r.body.writeFloatLE(Number.NaN, r.header.length + 4);
          return r.body;
        })(),
        length,
        'input "float_input": element 1 (NaN) is out of range for FP32',
      ],
      [
        'a header that is not JSON',
        Buffer.concat([Buffer.from('{"inputs": ['), data]),
        '12',
        'malformed JSON header: the first 12 bytes (Inference-Header-Content-Length) are not a JSON object',
      ],
    ];
    it.each(cases)('%s', async (_what, payload, headerLength, error) => {
      const res = await post(payload, {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': headerLength,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({ error });
    });

    it('a size that does not match shape × datatype', async () => {
      const h = Buffer.from(
        JSON.stringify({
          inputs: [
            { name: 'float_input', shape: [2, 4], datatype: 'FP32', parameters: { binary_data_size: 28 } },
          ],
        }),
      );
      const res = await post(Buffer.concat([h, data.subarray(0, 28)]), {
        'inference-header-content-length': String(h.length),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({
        error: 'input "float_input": binary_data_size is 28, but shape [2,4] of FP32 is 32 bytes',
      });
    });

    it.each([
      ['a wrong datatype', 'FP64', [2, 4], 64, 'input "float_input" is FP32, not FP64'],
      [
        'a wrong shape',
        'FP32',
        [2, 5],
        40,
        'input "float_input": dimension 1 must be 4 (shape [-1,4]), got 5',
      ],
    ] as const)('%s', async (_what, datatype, shape, size, error) => {
      const h = Buffer.from(
        JSON.stringify({
          inputs: [{ name: 'float_input', shape, datatype, parameters: { binary_data_size: size } }],
        }),
      );
      const res = await post(Buffer.concat([h, Buffer.alloc(size)]), {
        'inference-header-content-length': String(h.length),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual({ error });
    });

    it('binary_data_size in a JSON body, and a wrong content type', async () => {
      const res = await post(header.toString(), { 'content-type': 'application/json' });
      expect(res.json()).toEqual({
        error:
          'input "float_input" declares "binary_data_size", but the request has no binary section (Inference-Header-Content-Length)',
      });
      const text = await post(body, {
        'content-type': 'text/plain',
        'inference-header-content-length': length,
      });
      expect(text.statusCode).toBe(400);
      expect(text.json().error).toMatch(/^the request body must be JSON .* or binary tensor data/);
    });
  });

  it('bounds the raw body before parsing it (413), chunked bodies included', async () => {
    const big = tritonRequest(Array.from({ length: 300 }, () => rows[0] as number[]));
    const headers = {
      'content-type': 'application/octet-stream',
      'inference-header-content-length': String(big.header.length),
    };
    const whole = await post(big.body, headers);
    expect(whole.statusCode).toBe(413);
    expect(whole.json()).toEqual({ error: 'the request body is larger than 4096 bytes' });
    const chunked = await post(Readable.from([big.body.subarray(0, 3000), big.body.subarray(3000)]), {
      ...headers,
      'transfer-encoding': 'chunked',
    });
    expect(chunked.statusCode).toBe(413);
    expect(chunked.json()).toEqual({ error: 'the request body is larger than 4096 bytes' });
  });

  it('authenticates before reading a binary body', async () => {
    const { header, body } = tritonRequest(rows);
    const res = await t.rawApp.inject({
      method: 'POST',
      url: '/v2/models/iris/infer',
      payload: body,
      headers: { 'inference-header-content-length': String(header.length) },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'authentication required' });
  });
});
