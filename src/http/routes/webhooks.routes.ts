import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { CallContext } from '../../modules/identity/index.js';
import type { WebhookService } from '../../modules/webhooks/index.js';
import { pageOf, problemResponses } from '../schemas/common.schemas.js';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveriesQuery,
  EndpointDeliveriesQuery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookParams,
} from '../schemas/webhook.schemas.js';

export interface WebhookRouteOptions {
  webhooks: WebhookService;
  contextOf(request: FastifyRequest): CallContext;
}

/** Webhook endpoints (register: the only answer with the secret; list; remove) and the delivery log. */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRouteOptions> = async (
  app,
  { webhooks, contextOf },
) => {
  const tags = ['webhooks'];

  app.post(
    '/webhooks',
    {
      config: { action: 'webhook:create' },
      schema: {
        tags,
        summary: 'Register a webhook endpoint (its signing secret is in this answer only)',
        body: CreateWebhookBody,
        response: { 201: CreatedWebhook, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { url, events, description } = request.body;
      const created = await webhooks.create(
        { url, events, ...(description !== undefined ? { description } : {}) },
        contextOf(request),
      );
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.get(
    '/webhooks',
    {
      config: { action: 'webhook:list' },
      schema: {
        tags,
        summary: 'List webhook endpoints (a hint of each secret, never the secret)',
        response: { 200: Type.Array(WebhookEndpoint), ...problemResponses },
      },
    },
    async (request) => webhooks.list(contextOf(request)),
  );

  app.delete(
    '/webhooks/:id',
    {
      config: { action: 'webhook:delete' },
      schema: {
        tags,
        summary: 'Remove a webhook endpoint: its secret is destroyed, its pending deliveries cancelled',
        params: WebhookParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await webhooks.remove(request.params.id, contextOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/webhooks/deliveries',
    {
      config: { action: 'webhook:deliveries' },
      schema: {
        tags,
        summary: 'The delivery log, newest first (of one endpoint with ?endpoint=)',
        querystring: DeliveriesQuery,
        response: { 200: pageOf(WebhookDelivery), ...problemResponses },
      },
    },
    async (request) => {
      const { endpoint, limit = 50, after } = request.query;
      return webhooks.deliveries(
        { limit, ...(endpoint !== undefined ? { endpointId: endpoint } : {}), ...(after ? { after } : {}) },
        contextOf(request),
      );
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: { action: 'webhook:deliveries' },
      schema: {
        tags,
        summary: "One endpoint's delivery log, newest first (removed endpoints too)",
        params: WebhookParams,
        querystring: EndpointDeliveriesQuery,
        response: { 200: pageOf(WebhookDelivery), ...problemResponses },
      },
    },
    async (request) => {
      const { limit = 50, after } = request.query;
      return webhooks.deliveries(
        { endpointId: request.params.id, limit, ...(after ? { after } : {}) },
        contextOf(request),
      );
    },
  );
};
