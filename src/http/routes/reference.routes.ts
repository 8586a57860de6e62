import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  datasetContentTypes,
  parseRoleOverrides,
  type ReferenceService,
} from '../../modules/monitor/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { bodyTooLarge, unsupportedMediaType } from '../http-errors.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { ReferenceGetQuery, ReferenceResponse, ReferenceSetQuery } from '../schemas/reference.schemas.js';
import { VersionParams } from '../schemas/registry.schemas.js';

export interface ReferenceRouteOptions {
  references: ReferenceService;
  contextOf(request: FastifyRequest): CallContext;
  /** `monitor.reference.maxBytes`. */
  maxBytes: number;
}

const downloadTypes = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

const isStream = (body: unknown): body is AsyncIterable<Uint8Array> =>
  typeof (body as { pipe?: unknown } | null)?.pipe === 'function';

/** A version's reference dataset: attach or replace it (a raw streamed body), show its profile, download it. */
export const referenceRoutes: FastifyPluginAsyncTypebox<ReferenceRouteOptions> = async (
  app,
  { references, contextOf, maxBytes },
) => {
  const tags = ['monitoring'];
  const path = '/models/:name/versions/:ref/reference';
  // The body is handed over unread: the service streams it to its spool (never buffered whole here).
  app.addContentTypeParser([...datasetContentTypes, 'application/octet-stream'], (_request, payload, done) =>
    done(null, payload),
  );

  app.put(
    path,
    {
      // The body is a stream the service parses and checks cell by cell; the query's text is checked there.
      config: { action: 'monitor:reference:set', ownTextChecks: true },
      schema: {
        tags,
        summary: "Attach or replace a version's reference dataset (CSV, JSON Lines or Parquet, streamed)",
        description:
          'The raw file as the body: `text/csv`, `application/x-ndjson` (or `application/jsonl`), ' +
          '`application/vnd.apache.parquet`, or `application/octet-stream` with `format`. At most ' +
          '`monitor.reference.maxBytes`. Column roles are inferred from the ONNX signature; `roles` and ' +
          '`sources` override them. Nothing is stored unless the whole file reads and fits the model.',
        params: VersionParams,
        querystring: ReferenceSetQuery,
        response: { 200: ReferenceResponse, ...problemResponses },
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      if (declared > maxBytes) {
        reply.header('connection', 'close');
        throw bodyTooLarge(maxBytes);
      }
      const body: unknown = request.body;
      if (!isStream(body)) throw unsupportedMediaType(request.headers['content-type'] ?? '');
      const { format, roles, sources } = request.query;
      const overrides = parseRoleOverrides(roles, sources);
      return references.set(contextOf(request), request.params.name, request.params.ref, {
        body,
        overrides,
        ...(format ? { format } : {}),
        ...(request.headers['content-type'] ? { contentType: request.headers['content-type'] } : {}),
      });
    },
  );

  app.get(
    path,
    {
      config: { action: 'monitor:reference:read' },
      schema: {
        tags,
        summary: "A version's reference dataset: digest, rows, and each column's role, kind and counts",
        params: VersionParams,
        querystring: ReferenceGetQuery,
        response: { 200: ReferenceResponse, ...problemResponses },
      },
    },
    async (request) =>
      references.get(contextOf(request), request.params.name, request.params.ref, {
        samples: request.query.samples === true,
      }),
  );

  app.get(
    `${path}/data`,
    {
      config: { action: 'monitor:reference:read' },
      schema: {
        tags,
        summary: "Download a version's reference dataset as it was uploaded (verified as it is read)",
        params: VersionParams,
        response: { 200: Type.Unknown({ description: 'The dataset file.' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const opened = await references.download(contextOf(request), request.params.name, request.params.ref);
      return reply
        .type(downloadTypes[opened.format])
        .header('content-length', opened.size)
        .header('x-warden-digest', `sha256:${opened.digest}`)
        .header('etag', `"sha256:${opened.digest}"`)
        .header('content-disposition', `attachment; filename="reference-v${opened.version}.${opened.format}"`)
        .header('cache-control', 'private, no-transform')
        .send(opened.stream);
    },
  );
};
