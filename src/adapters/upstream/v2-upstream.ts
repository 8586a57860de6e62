import type { UpstreamSettings } from '../../config/upstreams.js';
import {
  encodeTensor,
  type ModelRuntime,
  parseInferRequest,
  type Session,
  type Tensor,
  type TensorMeta,
  UpstreamFailure,
  v2Datatypes,
} from '../../modules/gateway/index.js';
import type { Logger } from '../../platform/logger.js';
import { callUpstream, upstreamStatusFailure } from './upstream-http.js';
import { createUpstreamPolicy } from './upstream-policy.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (detail: string) =>
  new UpstreamFailure('bad_response', `the upstream's answer is not valid V2: ${detail}`);

/** A V2 tensor_meta list, read strictly: unique names, a datatype, a shape of integers (-1 varies). */
function readMetas(value: unknown, what: 'inputs' | 'outputs'): TensorMeta[] {
  if (!Array.isArray(value) || value.length === 0) throw bad(`metadata "${what}" must be a non-empty array`);
  const seen = new Set<string>();
  return value.map((raw, i) => {
    if (!isObject(raw)) throw bad(`metadata ${what}[${i}] must be an object`);
    const { name, datatype, shape } = raw;
    if (typeof name !== 'string' || name.length === 0 || name.length > 256)
      throw bad(`metadata ${what}[${i}].name must be a non-empty string`);
    if (seen.has(name)) throw bad(`metadata ${what} names ${JSON.stringify(name)} twice`);
    seen.add(name);
    if (typeof datatype !== 'string' || datatype.length === 0 || datatype.length > 32)
      throw bad(`metadata ${what}[${i}].datatype must be a string`);
    if (!Array.isArray(shape) || shape.length > 32 || !shape.every((d) => Number.isSafeInteger(d) && d >= -1))
      throw bad(`metadata ${what}[${i}].shape must be an array of integers (-1 for a varying one)`);
    // A datatype the gateway cannot carry (BF16) keeps its own name: requests naming it are refused.
    const type = Object.hasOwn(v2Datatypes, datatype)
      ? (v2Datatypes[datatype] as string)
      : datatype.toLowerCase();
    return { name, type, shape: shape.map((d: number) => (d === -1 ? null : d)) };
  });
}

/** The gateway's request validation, turned on the upstream's outputs: same strictness, worded for outputs. */
function decodeOutputs(
  body: unknown,
  outputs: readonly TensorMeta[],
  wanted: readonly string[],
  maxElements: number,
): Record<string, Tensor> {
  if (!isObject(body)) throw bad('the answer must be a JSON object');
  if (body.model_name !== undefined && typeof body.model_name !== 'string')
    throw bad('"model_name" must be a string');
  if (!Array.isArray(body.outputs)) throw bad('"outputs" must be an array');
  const declared = outputs.filter((o) => wanted.includes(o.name));
  try {
    const read = parseInferRequest(
      { inputs: body.outputs },
      { inputs: declared, outputs: [] },
      // The answer is bounded by maxResponseBytes already: no row or string bound of its own.
      { maxRows: Number.MAX_SAFE_INTEGER, maxElements, maxStringLength: Number.MAX_SAFE_INTEGER },
    );
    return read.inputs;
  } catch (err) {
    const reason = (err as Error).message
      .replace(/\binputs\[/g, 'outputs[')
      .replace(/\bunknown input\b/g, 'unexpected output')
      .replace(/\bmissing input\b/g, 'missing output')
      .replace(/\binput\b/g, 'output')
      .replace(/\bthe model takes\b/g, 'the request asked for');
    throw bad(reason);
  }
}

/**
 * A model served by a V2 server (Triton, KServe, MLServer). At load it reads the upstream's model metadata
 * (so requests are validated before they leave) and readiness; when the upstream cannot be reached then,
 * the session loads anyway and reads the metadata on the first request. Each request is forwarded as V2
 * JSON under the upstream's timeout, breaker and concurrency limit, and its answer decoded strictly.
 */
export function createV2Upstream(settings: UpstreamSettings, logger: Logger): ModelRuntime {
  const policy = createUpstreamPolicy(settings);
  const base = `${settings.url}/v2/models/${encodeURIComponent(settings.model)}`;
  const call = (method: 'GET' | 'POST', url: string, body?: unknown) =>
    policy.execute((signal) =>
      callUpstream({
        method,
        url,
        body,
        signal,
        headers: settings.headers,
        maxResponseBytes: settings.maxResponseBytes,
      }),
    );

  async function readMetadata() {
    const meta = await call('GET', base);
    if (meta.status !== 200)
      throw upstreamStatusFailure(settings, meta, { refused: [400], what: 'the metadata request' });
    if (!isObject(meta.json)) throw bad('the model metadata must be a JSON object');
    const inputs = readMetas(meta.json.inputs, 'inputs');
    const outputs = readMetas(meta.json.outputs, 'outputs');
    const platform = typeof meta.json.platform === 'string' && meta.json.platform ? meta.json.platform : null;
    const ready = await call('GET', `${base}/ready`);
    if (ready.status !== 200)
      throw upstreamStatusFailure(settings, ready, { refused: [400], what: 'the readiness request' });
    return { inputs, outputs, platform };
  }

  return {
    platform: 'upstream_v2',
    // The version's files are verified and signed like any other (a model card, say); the model runs upstream.
    accepts: () => true,
    status: () => policy.status(),
    async load(): Promise<Session> {
      let known: Awaited<ReturnType<typeof readMetadata>> | null = null;
      try {
        known = await readMetadata();
      } catch (err) {
        // An upstream that answers wrongly is misconfigured: refused. One that is away may come back.
        const failure = err as UpstreamFailure;
        if (
          !(failure instanceof UpstreamFailure) ||
          failure.reason === 'bad_response' ||
          (failure.reason === 'error_status' && /HTTP 40[134]/.test(failure.detail))
        )
          throw err;
        logger.warn(
          { model: settings.model, reason: failure.detail },
          'upstream not reachable at load; its metadata is read on the first request',
        );
      }
      let pending: Promise<void> | null = null;
      const session: Session & { platform?: string } = {
        get inputs() {
          return known?.inputs ?? [];
        },
        get outputs() {
          return known?.outputs ?? [];
        },
        get platform() {
          return known?.platform ?? 'upstream_v2';
        },
        async prepare() {
          if (known) return;
          // One metadata read at a time, shared by the requests that wait for it.
          pending ??= readMetadata()
            .then((m) => {
              known = m;
            })
            .finally(() => {
              pending = null;
            });
          await pending;
        },
        async run(inputs, wanted) {
          if (!known)
            throw new UpstreamFailure('unreachable', 'the upstream model metadata is not known yet');
          const { outputs } = known;
          const names = wanted ?? outputs.map((o) => o.name);
          const body = {
            inputs: Object.entries(inputs).map(([name, tensor]) => encodeTensor(name, tensor)),
            ...(wanted ? { outputs: wanted.map((name) => ({ name })) } : {}),
          };
          const res = await policy.execute(async (signal) => {
            const answer = await callUpstream({
              method: 'POST',
              url: `${base}/infer`,
              body,
              signal,
              headers: settings.headers,
              maxResponseBytes: settings.maxResponseBytes,
            });
            if (answer.status !== 200)
              throw upstreamStatusFailure(settings, answer, { refused: [400], what: 'the inference' });
            if (answer.json === undefined) throw bad('the answer is not JSON');
            // Decoded inside the policy: an answer that cannot be read counts against the breaker.
            return decodeOutputs(answer.json, outputs, names, settings.maxResponseBytes);
          });
          return res;
        },
        async release() {},
      };
      return session;
    },
  };
}
