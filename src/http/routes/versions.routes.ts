import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { bodyTooLarge } from '../http-errors.js';
import { readPushUpload } from '../multipart-push.js';
import { pageOf, problemResponses } from '../schemas/common.schemas.js';
import {
  DeleteVersionQuery,
  FileParams,
  ListVersionsQuery,
  ModelParams,
  VersionDeletion,
  VersionDetail,
  VersionParams,
} from '../schemas/registry.schemas.js';
import type { RegistryRouteOptions } from './models.routes.js';

export interface VersionRouteOptions extends RegistryRouteOptions {
  limits: {
    maxFileBytes: number;
    maxVersionBytes: number;
    maxFilesPerVersion: number;
    maxJsonBodyBytes: number;
  };
}

export const versionRoutes: FastifyPluginAsyncTypebox<VersionRouteOptions> = async (app, options) => {
  const { registry, contextOf, limits } = options;
  const tags = ['versions'];

  app.post(
    '/models/:name/versions',
    {
      config: { action: 'registry:version:push' },
      schema: {
        tags,
        summary: 'Push a new version (multipart: metadata, file…, digest)',
        description:
          'multipart/form-data. Part 1: field `metadata`, JSON (kind, format, metrics, params, metadata, lineage, aliases, signature). ' +
          'Then one part per file, field name `file`, whose filename is the path inside the model. Last, the required field ' +
          '`digest` = sha256:<hex>, the root digest the client computed from the bytes it sent; a mismatch stores nothing.',
        consumes: ['multipart/form-data'],
        params: ModelParams,
        response: { 201: VersionDetail, ...problemResponses },
      },
    },
    async (request, reply) => {
      // Refuse an upload that announces more bytes than a version may hold before reading any of it.
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      if (declared > limits.maxVersionBytes + limits.maxJsonBodyBytes + 1024 * 1024) {
        reply.header('connection', 'close');
        throw bodyTooLarge(limits.maxVersionBytes);
      }
      const { metadata, source } = await readPushUpload(request, limits);
      const view = await registry.pushVersion(request.params.name, metadata, source, contextOf(request));
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/models/:name/versions',
    {
      config: { action: 'registry:version:list' },
      schema: {
        tags,
        summary: 'List versions, newest first',
        params: ModelParams,
        querystring: ListVersionsQuery,
        response: { 200: pageOf(Type.Ref('Version')), ...problemResponses },
      },
    },
    async (request) => {
      const { limit = 50, after, deleted } = request.query;
      return registry.listVersions(
        request.params.name,
        { limit, ...(after ? { after } : {}), includeDeleted: deleted === 'include' },
        contextOf(request),
      );
    },
  );

  app.get(
    '/models/:name/versions/:ref',
    {
      config: { action: 'registry:version:read' },
      schema: {
        tags,
        summary: 'Show a version: number, digest (sha256:…, prefix ≥12) or alias',
        params: VersionParams,
        response: { 200: VersionDetail, ...problemResponses },
      },
    },
    async (request) => registry.getVersion(request.params.name, request.params.ref, contextOf(request)),
  );

  app.delete(
    '/models/:name/versions/:ref',
    {
      config: { action: 'registry:version:delete' },
      schema: {
        tags,
        summary: "Delete a version: a tombstone stays, its files' bytes are destroyed",
        description:
          'The version record stays (number, digest, manifest, signatures, lineage, alias history) and is shown ' +
          'with `deleted`; its number and digest are never reused in the model. Every file whose bytes no live ' +
          'version still holds is destroyed: the data key is overwritten, then the file removed. Refused with ' +
          '409 version_aliased while an alias points at the version. The reason is required.',
        params: VersionParams,
        querystring: DeleteVersionQuery,
        response: { 200: VersionDeletion, ...problemResponses },
      },
    },
    async (request) =>
      registry.deleteVersion(
        request.params.name,
        request.params.ref,
        request.query.reason,
        contextOf(request),
      ),
  );

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route({
      method,
      url: '/models/:name/versions/:ref',
      config: { action: 'registry:version:update' },
      schema: {
        tags,
        summary: 'Always refused: published versions are immutable',
        params: VersionParams,
        response: problemResponses,
      },
      handler: async (request) =>
        registry.refuseVersionEdit(request.params.name, request.params.ref, contextOf(request)),
    });
  }

  app.get(
    '/models/:name/versions/:ref/files/*',
    {
      config: { action: 'registry:artifact:read' },
      schema: {
        tags,
        summary: "Download one of a version's files (re-verified against its digest before it is served)",
        params: FileParams,
        response: {
          200: Type.Unknown({ description: 'The file bytes (application/octet-stream).' }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { name, ref } = request.params;
      const path = (request.params as { '*'?: string })['*'] ?? '';
      const opened = await registry.openFile(name, ref, path, contextOf(request));
      const base = opened.file.path.split('/').pop() ?? 'file';
      return reply
        .type('application/octet-stream')
        .header('content-length', opened.file.size)
        .header('x-warden-digest', `sha256:${opened.file.digest}`)
        .header('etag', `"sha256:${opened.file.digest}"`)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(base)}`)
        .header('cache-control', 'private, no-transform')
        .header('x-warden-signatures', opened.signatures)
        .send(opened.stream);
    },
  );
};
