import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { DeployService } from '../../modules/deploy/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { PageQuery, pageOf, problemResponses } from '../schemas/common.schemas.js';
import {
  CheckBody,
  CheckResponse,
  DecisionBody,
  Deployment,
  DeployRequest,
  Environment,
  EnvironmentParams,
  Live,
  LiveQuery,
  OptionalReasonBody,
  RequestBody,
  RequestListQuery,
  RequestParams,
  RequestResponse,
  RequestSearchQuery,
  TargetParams,
} from '../schemas/deploy.schemas.js';

export interface DeployRouteOptions {
  deploy: DeployService;
  contextOf(request: FastifyRequest): CallContext;
}

export const deployRoutes: FastifyPluginAsyncTypebox<DeployRouteOptions> = async (
  app,
  { deploy, contextOf },
) => {
  const tags = ['deployments'];
  const ref = (v: string | number) => String(v);

  app.get(
    '/environments',
    {
      config: { action: 'deploy:environment:list' },
      schema: {
        tags,
        summary: 'List deployment environments',
        response: { 200: Type.Array(Environment), ...problemResponses },
      },
    },
    async (request) => deploy.environments(contextOf(request)),
  );

  app.get(
    '/environments/:env',
    {
      config: { action: 'deploy:environment:list' },
      schema: {
        tags,
        summary: "Show an environment's settings: approvals, gates and thresholds",
        params: EnvironmentParams,
        response: { 200: Environment, ...problemResponses },
      },
    },
    async (request) => deploy.environment(contextOf(request), request.params.env),
  );

  app.get(
    '/environments/:env/live',
    {
      config: { action: 'deploy:environment:list' },
      schema: {
        tags,
        summary:
          'What is live (stable and canary/shadow digests, splits, revision); with ?since=N, a long poll',
        params: EnvironmentParams,
        querystring: LiveQuery,
        response: { 200: Live, ...problemResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const { since, wait } = request.query;
      if (since === undefined) return deploy.live(ctx, request.params.env);
      const abort = new AbortController();
      request.raw.once('close', () => abort.abort());
      return deploy.changes(ctx, request.params.env, since, (wait ?? 30) * 1000, abort.signal);
    },
  );

  app.post(
    '/environments/:env/check',
    {
      config: { action: 'deploy:check' },
      schema: {
        tags,
        summary: "Dry run: every gate's verdict and determining policies for a version; changes nothing",
        params: EnvironmentParams,
        body: CheckBody,
        response: { 200: CheckResponse, ...problemResponses },
      },
    },
    async (request) =>
      deploy.check(contextOf(request), {
        environment: request.params.env,
        model: request.body.model,
        ref: ref(request.body.version),
      }),
  );

  app.post(
    '/environments/:env/requests',
    {
      config: { action: 'deploy:request' },
      schema: {
        tags,
        summary: 'Request a deployment (stable, canary or shadow) of one version, resolved to its digest now',
        params: EnvironmentParams,
        body: RequestBody,
        response: { 201: RequestResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { model, version, slot, percent, reason } = request.body;
      const result = await deploy.request(contextOf(request), {
        environment: request.params.env,
        model,
        ref: ref(version),
        ...(slot ? { slot } : {}),
        percent: percent ?? null,
        reason: reason ?? null,
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/environments/:env/requests',
    {
      config: { action: 'deploy:read' },
      schema: {
        tags,
        summary: "An environment's deployment requests, newest first",
        params: EnvironmentParams,
        querystring: RequestListQuery,
        response: { 200: pageOf(DeployRequest), ...problemResponses },
      },
    },
    async (request) => {
      const { model, state, limit, after } = request.query;
      return deploy.listRequests(contextOf(request), {
        environment: request.params.env,
        ...(model ? { model } : {}),
        ...(state ? { states: [state as never] } : {}),
        limit: limit ?? 50,
        ...(after ? { after } : {}),
      });
    },
  );

  app.get(
    '/deploy-requests',
    {
      config: { action: 'deploy:read' },
      schema: {
        tags,
        summary:
          'Deployment requests across environments, newest first, as far as the caller may read them; ' +
          'approvable=true: those waiting for the caller',
        querystring: RequestSearchQuery,
        response: { 200: pageOf(DeployRequest), ...problemResponses },
      },
    },
    async (request) => {
      const { environment, model, state, approvable, limit, after } = request.query;
      return deploy.listRequests(contextOf(request), {
        ...(environment ? { environment } : {}),
        ...(model ? { model } : {}),
        ...(state ? { states: [state as never] } : {}),
        ...(approvable ? { approvable } : {}),
        limit: limit ?? 50,
        ...(after ? { after } : {}),
      });
    },
  );

  app.get(
    '/deploy-requests/:id',
    {
      config: { action: 'deploy:read' },
      schema: {
        tags,
        summary: 'A deployment request with its gate results and approvals',
        params: RequestParams,
        response: { 200: DeployRequest, ...problemResponses },
      },
    },
    async (request) => deploy.showRequest(contextOf(request), request.params.id),
  );

  for (const [verb, action, summary] of [
    ['approve', 'deploy:approve', 'Approve a request (bound to its digest and gate results; never your own)'],
    ['reject', 'deploy:reject', 'Reject a request (ends it)'],
  ] as const) {
    app.post(
      `/deploy-requests/:id/${verb}`,
      {
        config: { action },
        schema: {
          tags,
          summary,
          params: RequestParams,
          body: DecisionBody,
          response: { 200: DeployRequest, ...problemResponses },
        },
      },
      async (request) =>
        verb === 'approve'
          ? deploy.approve(contextOf(request), request.params.id, request.body.reason)
          : deploy.reject(contextOf(request), request.params.id, request.body.reason),
    );
  }

  app.post(
    '/deploy-requests/:id/cancel',
    {
      config: { action: 'deploy:cancel' },
      schema: {
        tags,
        summary: 'Withdraw a pending request',
        params: RequestParams,
        body: OptionalReasonBody,
        response: { 200: DeployRequest, ...problemResponses },
      },
    },
    async (request) => deploy.cancel(contextOf(request), request.params.id, request.body?.reason ?? null),
  );

  app.post(
    '/deploy-requests/:id/apply',
    {
      config: { action: 'deploy:apply' },
      schema: {
        tags,
        summary:
          'Apply an approved request: digest, signature, gates and approvals re-checked as it goes live',
        params: RequestParams,
        response: { 200: Deployment, ...problemResponses },
      },
    },
    async (request) => deploy.apply(contextOf(request), request.params.id),
  );

  app.get(
    '/environments/:env/models/:name/history',
    {
      config: { action: 'deploy:read' },
      schema: {
        tags,
        summary: "A model's deployments in an environment, newest first",
        params: TargetParams,
        querystring: PageQuery,
        response: { 200: pageOf(Deployment), ...problemResponses },
      },
    },
    async (request) =>
      deploy.history(contextOf(request), request.params.env, request.params.name, {
        limit: request.query.limit ?? 50,
        ...(request.query.after ? { after: request.query.after } : {}),
      }),
  );

  for (const [verb, action, summary] of [
    ['promote', 'deploy:promote', 'Promote the canary (or shadow) to stable; gates re-checked'],
    ['abort', 'deploy:abort', 'End the canary or shadow; stable keeps serving'],
  ] as const) {
    app.post(
      `/environments/:env/models/:name/${verb}`,
      {
        config: { action },
        schema: {
          tags,
          summary,
          params: TargetParams,
          body: OptionalReasonBody,
          response: { 200: Deployment, ...problemResponses },
        },
      },
      async (request) => {
        const { env, name } = request.params;
        const reason = request.body?.reason ?? null;
        return verb === 'promote'
          ? deploy.promote(contextOf(request), env, name, reason)
          : deploy.abort(contextOf(request), env, name, reason);
      },
    );
  }

  app.post(
    '/environments/:env/models/:name/rollback',
    {
      config: { action: 'deploy:rollback' },
      schema: {
        tags,
        summary: 'Return to the last known-good stable deployment (integrity and signature re-checked)',
        params: TargetParams,
        body: DecisionBody,
        response: { 200: Deployment, ...problemResponses },
      },
    },
    async (request) =>
      deploy.rollback(contextOf(request), request.params.env, request.params.name, request.body.reason),
  );
};
