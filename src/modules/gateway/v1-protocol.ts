import { v2DatatypeOf } from './datatypes.js';
import { invalidInferenceRequest, v1Unsupported } from './gateway.errors.js';
import type { BodyOf } from './gateway.service.js';
import type { ResponseTensor } from './infer-request.js';

/**
 * KServe's V1 protocol (TensorFlow Serving's row format): `{"instances": [...]}` in, `{"predictions": [...]}`
 * out, one prediction per instance. It is translated to a V2 request, so V1 gets every V2 check.
 */

const fail = (reason: string) => invalidInferenceRequest(reason);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dimensions of a nested-array value, read down its first elements (a scalar has none). */
function shapeOf(value: unknown): number[] {
  const dims: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    dims.push(v.length);
    if (v.length === 0) break;
  }
  return dims;
}

/**
 * The V2 body a V1 request stands for. Instances are rows of the model's single input, or objects keyed by
 * input name (required when the model has several inputs). Each input's shape is the number of instances,
 * then the shape of its first row; the V2 checks then hold every row to it.
 */
export function v1RequestBody(body: unknown): BodyOf {
  if (!isObject(body)) throw fail('the request body must be a JSON object');
  if (body.instances === undefined)
    throw fail(
      body.inputs !== undefined
        ? 'the columnar "inputs" format is not supported; send "instances"'
        : 'missing field "instances"',
    );
  const instances = body.instances;
  if (!Array.isArray(instances) || instances.length === 0)
    throw fail('"instances" must be a non-empty array');
  return (model) => {
    const names = model.inputs.map((m) => m.name);
    const keyed = model.inputs.length > 1 || instances.every(isObject);
    if (!keyed && instances.some(isObject))
      throw fail('"instances" mixes rows and objects keyed by input name; send one form');
    const columns = new Map<string, unknown[]>(names.map((n) => [n, []]));
    instances.forEach((instance: unknown, i: number) => {
      if (!keyed) {
        (columns.get(names[0] as string) as unknown[]).push(instance);
        return;
      }
      if (!isObject(instance))
        throw fail(
          `instances[${i}] must be an object keyed by input name (${names.map((n) => JSON.stringify(n)).join(', ')})`,
        );
      for (const key of Object.keys(instance))
        if (!columns.has(key))
          throw fail(
            `instances[${i}]: unknown input ${JSON.stringify(key)}; the model takes ${names.map((n) => JSON.stringify(n)).join(', ')}`,
          );
      for (const name of names) {
        if (instance[name] === undefined)
          throw fail(`instances[${i}]: missing input ${JSON.stringify(name)}`);
        (columns.get(name) as unknown[]).push(instance[name]);
      }
    });
    return {
      inputs: model.inputs.map((meta) => {
        const column = columns.get(meta.name) as unknown[];
        return {
          name: meta.name,
          datatype: v2DatatypeOf(meta.type),
          shape: [column.length, ...shapeOf(column[0])],
          data: column,
        };
      }),
    };
  };
}

/** Flat row-major values nested to `dims` (a scalar when `dims` is empty). */
function nest(flat: ResponseTensor['data'], dims: readonly number[]): unknown {
  if (dims.length === 0) return flat[0];
  const [first, ...rest] = dims as [number, ...number[]];
  const size = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: first }, (_, i) => nest(flat.slice(i * size, (i + 1) * size), rest));
}

/**
 * One prediction per instance: the row of the model's single output, or an object keyed by output name
 * when it has several. An output without one row per instance cannot be said in V1.
 */
export function v1Predictions(outputs: readonly ResponseTensor[], rows: number): unknown[] {
  const split = outputs.map((o) => {
    if (o.shape[0] !== rows) throw v1Unsupported(o.name, rows);
    const rowDims = o.shape.slice(1);
    const size = rowDims.reduce((a, b) => a * b, 1);
    return {
      name: o.name,
      row: (r: number) => nest(o.data.slice(r * size, (r + 1) * size), rowDims),
    };
  });
  return Array.from({ length: rows }, (_, r) =>
    split.length === 1
      ? (split[0] as (typeof split)[number]).row(r)
      : Object.fromEntries(split.map((s) => [s.name, s.row(r)])),
  );
}

/** How many instances a V1 body holds (after v1RequestBody accepted it). */
export const v1InstanceCount = (body: unknown): number =>
  isObject(body) && Array.isArray(body.instances) ? body.instances.length : 0;
