import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  digestHeader,
  type Gateway,
  gatewayErrors,
  v1InstanceCount,
  v1Predictions,
  v1RequestBody,
} from '../../modules/gateway/index.js';
import type { CallContext } from '../../modules/identity/index.js';
import { type AuthenticationOptions, requirePrincipal } from '../plugins/authenticate.js';
import { registerInferenceScope } from './inference-scope.js';

export interface InferenceV1RouteOptions {
  gateway: Gateway;
  authentication: Omit<AuthenticationOptions, 'publicPrefixes'>;
  maxBodyBytes: number;
}

/**
 * KServe's V1 protocol, mounted at /v1: `GET /v1/models/{m}` (readiness) and `POST /v1/models/{m}:predict`
 * (`instances` in, `predictions` out). A V1 body is translated to a V2 request and answered by the same
 * gateway call, so authentication, authorization, guards, validation and the digest header are V2's.
 */
export async function inferenceV1Routes(
  app: FastifyInstance,
  options: InferenceV1RouteOptions,
): Promise<void> {
  const { gateway, maxBodyBytes } = options;
  const own = { action: 'inference:invoke', ownAuthentication: true };
  const tags = ['inference'];
  registerInferenceScope(app, { authentication: options.authentication, maxBodyBytes, binary: false });

  const contextOf = (request: FastifyRequest): CallContext => ({
    principal: requirePrincipal(request),
    requestId: String(request.id),
    clientAddress: request.ip,
  });
  type Params = { model: string };

  // KServe answers a model that is not ready with 503, not with `"ready": false`.
  app.get<{ Params: Params }>('/models/:model', { config: own, schema: { tags } }, async (request, reply) => {
    const { model } = request.params;
    const answer = await gateway.modelReady(contextOf(request), model);
    if (!answer.body.ready) throw gatewayErrors.modelNotReady(model);
    reply.header(digestHeader, answer.digest);
    return answer.body;
  });

  // /v1/models/{m}:predict: the parameter stops at the colon ("::" is a literal one after a regex parameter).
  app.post<{ Params: Params }>(
    '/models/:model(^[^:/]+)::predict',
    { config: own, bodyLimit: maxBodyBytes, schema: { tags } },
    async (request, reply) => {
      const { model } = request.params;
      const headers = new Map<string, string>();
      try {
        const body = v1RequestBody(request.body);
        const { body: answer } = await gateway.infer(contextOf(request), model, undefined, body, headers);
        return { predictions: v1Predictions(answer.outputs, v1InstanceCount(request.body)) };
      } finally {
        for (const [name, value] of headers) reply.header(name, value);
      }
    },
  );
}
