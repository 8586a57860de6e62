import Type from 'typebox';
import { slugPattern } from '../platform/slug.js';
import { UpstreamSchema } from './upstreams.js';

/** A token bucket of the gateway's default rate limits. */
const Bucket = (whose: string) =>
  Type.Object(
    {
      ratePerSecond: Type.Number({
        minimum: 0.001,
        maximum: 1_000_000,
        description: `Requests per second ${whose} may make to one deployment, sustained (tokens refilled per second; 0.5 is one every two seconds).`,
      }),
      burst: Type.Integer({
        minimum: 1,
        maximum: 10_000_000,
        description: `Requests ${whose} may make at once to one deployment (the bucket's size).`,
      }),
    },
    { additionalProperties: false },
  );

/** The inference gateway's settings: what it serves, its bounds, upstreams, logs and default rate limits. */
export const GatewaySchema = Type.Object(
  {
    environment: Type.String({
      pattern: slugPattern,
      description:
        'The deployment environment whose live models the inference gateway (/v2) serves; one of `environments`.',
    }),
    intraOpThreads: Type.Integer({
      minimum: 0,
      maximum: 256,
      description: "Threads ONNX Runtime uses inside one operator, per session (0: the runtime's default).",
    }),
    maxBodyBytes: Type.Integer({
      minimum: 1024,
      maximum: 1024 * 1024 * 1024,
      description: 'Largest inference request body, refused (413) before it is parsed.',
    }),
    maxRows: Type.Integer({
      minimum: 1,
      maximum: 10_000_000,
      description: 'Most rows (first dimension of an input tensor) one inference request may send.',
    }),
    upstreams: Type.Record(Type.String({ pattern: slugPattern }), UpstreamSchema, {
      description:
        'Models served by proxying to an upstream model server (V2 or OpenAI-style chat), by model name (JSON in the variable); header values come from environment variables or files, never the JSON.',
    }),
    accessLog: Type.Object(
      {
        sampleRate: Type.Number({
          minimum: 0,
          maximum: 1,
          description:
            'Share of inference requests written to the access log (0..1); a request answered 5xx is always logged.',
        }),
      },
      { additionalProperties: false },
    ),
    observations: Type.Object(
      {
        maxBytes: Type.Integer({
          minimum: 0,
          maximum: 1024 * 1024 * 1024,
          description:
            'Bytes of requests (inputs and outputs) kept in memory per deployment and digest between two monitor drains; once full, a uniform sample of them (0: keep none).',
        }),
      },
      { additionalProperties: false },
    ),
    batching: Type.Object(
      {
        models: Type.Array(Type.String({ pattern: slugPattern }), {
          maxItems: 1000,
          description:
            'Models (by name) whose requests may be batched: runs arriving in the same event-loop turn go to ONNX Runtime as one run and each caller gets its own rows back. Only for models whose rows are independent; a model whose inputs or outputs lack a symbolic first dimension is never batched.',
        }),
        maxRows: Type.Integer({
          minimum: 2,
          maximum: 1_000_000,
          description: 'Most rows one batched run sends (a request with this many rows or more runs alone).',
        }),
      },
      { additionalProperties: false },
    ),
    rateLimit: Type.Object(
      {
        perPrincipal: Bucket('one caller (token or OIDC subject)'),
        perAddress: Bucket('one client address'),
      },
      {
        additionalProperties: false,
        description:
          "The rate limits of a deployment whose guard policy sets none (a deployment's policy overrides them).",
      },
    ),
  },
  { additionalProperties: false },
);

/** Redis, where the gateway's rate limits live when several servers share one budget. */
export const RedisSchema = Type.Object(
  {
    url: Type.Union([Type.String({ pattern: '^rediss?://' }), Type.Null()], {
      description:
        "Redis URL (redis:// or rediss://) where the gateway's rate limits live, shared by every server; null keeps them in each server's memory. A secret when it holds a password: never logged.",
    }),
    keyPrefix: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9._:-]+$',
      description: 'Prefix of every Redis key Warden writes (servers sharing one budget use the same).',
    }),
  },
  { additionalProperties: false },
);
