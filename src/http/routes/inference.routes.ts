import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  binaryOutputChoice,
  digestHeader,
  encodeBinaryResponse,
  type Gateway,
} from '../../modules/gateway/index.js';
import type { CallContext } from '../../modules/identity/index.js';
import { type AuthenticationOptions, requirePrincipal } from '../plugins/authenticate.js';
import { headerLengthHeader, registerInferenceScope } from './inference-scope.js';

export interface InferenceRouteOptions {
  gateway: Gateway;
  /** The inference path's authentication (successes cached for at most one second). */
  authentication: Omit<AuthenticationOptions, 'publicPrefixes'>;
  maxBodyBytes: number;
  version: string;
}

/**
 * The Open Inference Protocol V2 over REST, mounted at /v2: health, server and model metadata, model
 * readiness and `infer`, for the models live in the gateway's environment. Its own plugin scope: its own
 * error shape and its own authentication (the same checks as the API, with successes cached for a second).
 */
export async function inferenceRoutes(app: FastifyInstance, options: InferenceRouteOptions): Promise<void> {
  const { gateway, maxBodyBytes } = options;
  const own = { action: 'inference:invoke', ownAuthentication: true };
  const tags = ['inference'];

  registerInferenceScope(app, { authentication: options.authentication, maxBodyBytes, binary: true });

  const contextOf = (request: FastifyRequest): CallContext => ({
    principal: requirePrincipal(request),
    requestId: String(request.id),
    clientAddress: request.ip,
  });
  type Params = { model: string; version?: string };

  app.get('/health/live', { config: { action: 'public' }, schema: { tags } }, async () => ({ live: true }));
  app.get('/health/ready', { config: { action: 'public' }, schema: { tags } }, async (_request, reply) => {
    const ready = gateway.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get('', { config: { action: 'public' }, schema: { tags } }, async () => ({
    name: 'warden',
    version: options.version,
    extensions: ['binary_tensor_data'],
  }));

  for (const base of ['/models/:model', '/models/:model/versions/:version']) {
    app.get<{ Params: Params }>(base, { config: own, schema: { tags } }, async (request, reply) => {
      const { model, version } = request.params;
      const answer = await gateway.metadata(contextOf(request), model, version);
      reply.header(digestHeader, answer.digest);
      return answer.body;
    });
    app.get<{ Params: Params }>(
      `${base}/ready`,
      { config: own, schema: { tags } },
      async (request, reply) => {
        const { model, version } = request.params;
        const answer = await gateway.modelReady(contextOf(request), model, version);
        if (answer.digest) reply.header(digestHeader, answer.digest);
        return answer.body;
      },
    );
    app.post<{ Params: Params }>(
      `${base}/infer`,
      { config: own, bodyLimit: maxBodyBytes, schema: { tags } },
      async (request, reply) => {
        const { model, version } = request.params;
        const headers = new Map<string, string>();
        try {
          const { body } = await gateway.infer(contextOf(request), model, version, request.body, headers);
          const binary = encodeBinaryResponse(body, binaryOutputChoice(request.body));
          if (!binary) return body;
          reply.header(headerLengthHeader, String(binary.headerLength)).type('application/octet-stream');
          return Buffer.from(binary.body.buffer, binary.body.byteOffset, binary.body.length);
        } finally {
          for (const [name, value] of headers) reply.header(name, value);
        }
      },
    );
  }
  // Warden's own view of a served model: which versions are loaded, and why one was refused.
  app.get<{ Params: Params }>('/models/:model/status', { config: own, schema: { tags } }, async (request) =>
    gateway.status(contextOf(request), request.params.model),
  );
}
