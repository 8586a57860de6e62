import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { GuardPolicyService } from '../../modules/gateway/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { TargetParams } from '../schemas/deploy.schemas.js';
import {
  ExtractionAlertsResponse,
  GuardPolicyBody,
  GuardPolicyResponse,
  GuardResetBody,
} from '../schemas/guards.schemas.js';

export interface GuardRouteOptions {
  guardPolicies: GuardPolicyService;
  contextOf(request: FastifyRequest): CallContext;
}

/** Each deployment's guard policy, and the gateway's extraction alerts on it. */
export const guardRoutes: FastifyPluginAsyncTypebox<GuardRouteOptions> = async (
  app,
  { guardPolicies, contextOf },
) => {
  const tags = ['guards'];
  const path = '/environments/:env/models/:name/guards';

  app.get(
    path,
    {
      config: { action: 'gateway:policy:read' },
      schema: {
        tags,
        summary: "A deployment's guard policy: in force, what overrides the defaults, who set it and why",
        params: TargetParams,
        response: { 200: GuardPolicyResponse, ...problemResponses },
      },
    },
    async (request) => guardPolicies.show(contextOf(request), request.params.env, request.params.name),
  );

  app.put(
    path,
    {
      config: { action: 'gateway:configure' },
      schema: {
        tags,
        summary:
          "Replace a deployment's guard policy (validated strictly; turning a guard off needs enabled:false and a reason)",
        params: TargetParams,
        body: GuardPolicyBody,
        response: { 200: GuardPolicyResponse, ...problemResponses },
      },
    },
    async (request) =>
      guardPolicies.set(contextOf(request), request.params.env, request.params.name, {
        policy: request.body.policy,
        reason: request.body.reason ?? null,
      }),
  );

  app.delete(
    path,
    {
      config: { action: 'gateway:configure' },
      schema: {
        tags,
        summary: "Reset a deployment's guard policy to the defaults (every guard on)",
        params: TargetParams,
        body: GuardResetBody,
        response: { 200: GuardPolicyResponse, ...problemResponses },
      },
    },
    async (request) =>
      guardPolicies.reset(
        contextOf(request),
        request.params.env,
        request.params.name,
        request.body?.reason ?? null,
      ),
  );

  app.get(
    `${path}/alerts`,
    {
      config: { action: 'gateway:alerts:read' },
      schema: {
        tags,
        summary: 'The principals the extraction watch holds as suspect or throttled on a deployment',
        params: TargetParams,
        response: { 200: ExtractionAlertsResponse, ...problemResponses },
      },
    },
    async (request) => guardPolicies.alerts(contextOf(request), request.params.env, request.params.name),
  );
};
