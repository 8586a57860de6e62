import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { MonitorReads } from '../../modules/monitor/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { EnvironmentParams } from '../schemas/deploy.schemas.js';
import {
  LabelsBody,
  LabelsResponse,
  MonitorStatusResponse,
  StatusQuery,
  WindowIdParams,
  WindowListQuery,
  WindowPageResponse,
  WindowSummaryResponse,
} from '../schemas/monitor.schemas.js';

export interface MonitorRouteOptions {
  monitor: MonitorReads;
  contextOf(request: FastifyRequest): CallContext;
}

/** A deployment's monitoring windows, its monitor's state, and delayed ground-truth labels. */
export const monitorRoutes: FastifyPluginAsyncTypebox<MonitorRouteOptions> = async (
  app,
  { monitor, contextOf },
) => {
  const tags = ['monitor'];
  const base = '/environments/:env/monitor';

  app.get(
    `${base}/windows`,
    {
      config: { action: 'monitor:read' },
      schema: {
        tags,
        summary: "A deployment's closed windows (drift, predictions, label figures), newest first",
        params: EnvironmentParams,
        querystring: WindowListQuery,
        response: { 200: WindowPageResponse, ...problemResponses },
      },
    },
    async (request) => {
      const { model, limit, cursor } = request.query;
      return monitor.windows(contextOf(request), request.params.env, model, {
        limit: limit ?? 50,
        ...(cursor ? { cursor } : {}),
      });
    },
  );

  app.get(
    `${base}/windows/:id`,
    {
      config: { action: 'monitor:read' },
      schema: {
        tags,
        summary: 'One window summary',
        params: WindowIdParams,
        response: { 200: WindowSummaryResponse, ...problemResponses },
      },
    },
    async (request) => monitor.window(contextOf(request), request.params.env, request.params.id),
  );

  app.get(
    `${base}/status`,
    {
      config: { action: 'monitor:read' },
      schema: {
        tags,
        summary:
          "A deployment's monitoring now: open windows, the last closed one, writes waiting and windows lost",
        params: EnvironmentParams,
        querystring: StatusQuery,
        response: { 200: MonitorStatusResponse, ...problemResponses },
      },
    },
    async (request) => monitor.status(contextOf(request), request.params.env, request.query.model),
  );

  app.post(
    `${base}/labels`,
    {
      config: { action: 'monitor:label' },
      schema: {
        tags,
        summary:
          'Post ground-truth labels by request id (at most 10,000); ids matching no prediction come back as unknown',
        params: EnvironmentParams,
        body: LabelsBody,
        response: { 200: LabelsResponse, ...problemResponses },
      },
    },
    async (request) =>
      monitor.labels(
        contextOf(request),
        request.params.env,
        request.body.model,
        request.body.labels.map((l) => ({ requestId: l.requestId, value: String(l.value) })),
      ),
  );
};
