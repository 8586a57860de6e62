import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AlertEngine, MonitorPolicyService } from '../../modules/monitor/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { problemResponses } from '../schemas/common.schemas.js';
import {
  AlertListQuery,
  AlertPage,
  EnvironmentParams,
  MonitorPolicyBody,
  MonitorPolicyParams,
  MonitorPolicyResetBody,
  MonitorPolicyResponse,
} from '../schemas/monitor-alerts.schemas.js';

export interface MonitorAlertRouteOptions {
  alerts: Pick<AlertEngine, 'alerts'>;
  monitorPolicies: MonitorPolicyService;
  contextOf(request: FastifyRequest): CallContext;
}

/** Monitor alerts of an environment, and each deployment's monitor policy. */
export const monitorAlertRoutes: FastifyPluginAsyncTypebox<MonitorAlertRouteOptions> = async (
  app,
  { alerts, monitorPolicies, contextOf },
) => {
  const tags = ['monitor'];
  const policyPath = '/environments/:env/deployments/:model/monitor-policy';

  app.get(
    '/environments/:env/monitor/alerts',
    {
      config: { action: 'monitor:read' },
      schema: {
        tags,
        summary: "An environment's monitor alerts, newest first, with the rollbacks they caused",
        params: EnvironmentParams,
        querystring: AlertListQuery,
        response: { 200: AlertPage, ...problemResponses },
      },
    },
    async (request) => {
      const { model, state, limit, after } = request.query;
      const page = await alerts.alerts(contextOf(request), request.params.env, {
        model,
        state,
        before: after,
        limit: limit ?? 50,
      });
      return { items: page.alerts, next: page.next };
    },
  );

  app.get(
    policyPath,
    {
      config: { action: 'monitor:read' },
      schema: {
        tags,
        summary: "A deployment's monitor policy: detector thresholds and alert rules in force, who set them",
        params: MonitorPolicyParams,
        response: { 200: MonitorPolicyResponse, ...problemResponses },
      },
    },
    async (request) => monitorPolicies.show(contextOf(request), request.params.env, request.params.model),
  );

  app.put(
    policyPath,
    {
      config: { action: 'monitor:configure' },
      schema: {
        tags,
        summary: "Replace a deployment's monitor policy (validated strictly; every problem at its path)",
        params: MonitorPolicyParams,
        body: MonitorPolicyBody,
        response: { 200: MonitorPolicyResponse, ...problemResponses },
      },
    },
    async (request) =>
      monitorPolicies.set(
        contextOf(request),
        request.params.env,
        request.params.model,
        request.body.policy,
        request.body.reason ?? null,
      ),
  );

  app.delete(
    policyPath,
    {
      config: { action: 'monitor:configure' },
      schema: {
        tags,
        summary: "Reset a deployment's monitor policy to the defaults",
        params: MonitorPolicyParams,
        body: MonitorPolicyResetBody,
        response: { 200: MonitorPolicyResponse, ...problemResponses },
      },
    },
    async (request) =>
      monitorPolicies.reset(
        contextOf(request),
        request.params.env,
        request.params.model,
        request.body?.reason ?? null,
      ),
  );
};
