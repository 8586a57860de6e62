import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { type AuditService, exportMediaType } from '../../modules/audit/index.js';
import type { CallContext } from '../../modules/identity/index.js';
import { AuditListQuery, AuditPubkey, VerifyReport } from '../schemas/audit.schemas.js';
import { pageOf, problemResponses } from '../schemas/common.schemas.js';

export interface AuditRouteOptions {
  /** Authorizes every read itself, against the log and with the caller's scope. */
  audit: AuditService;
  contextOf(request: FastifyRequest): CallContext;
}

/** The audit log: search, checkpoints, public key, verification and export. Needs the schemas AuditEntry and AuditCheckpoint registered. */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteOptions> = async (
  app,
  { audit, contextOf },
) => {
  const tags = ['audit'];

  app.get(
    '/audit',
    {
      config: { action: 'audit:log:read' },
      schema: {
        tags,
        summary: 'Search audit entries (newest first unless order=asc)',
        querystring: AuditListQuery,
        response: { 200: pageOf(Type.Ref('AuditEntry')), ...problemResponses },
      },
    },
    async (request) => audit.list(contextOf(request), request.query),
  );

  app.get(
    '/audit/checkpoints',
    {
      config: { action: 'audit:log:read' },
      schema: {
        tags,
        summary: 'Every signed checkpoint, smallest first',
        response: { 200: Type.Array(Type.Ref('AuditCheckpoint')), ...problemResponses },
      },
    },
    async (request) => audit.checkpoints(contextOf(request)),
  );

  app.get(
    '/audit/pubkey',
    {
      config: { action: 'audit:key:read' },
      schema: {
        tags,
        summary: 'The audit public key as a signed-note verifier key',
        response: { 200: AuditPubkey, ...problemResponses },
      },
    },
    async (request) => audit.pubkey(contextOf(request)),
  );

  app.get(
    '/audit/verify',
    {
      config: { action: 'audit:log:verify' },
      schema: {
        tags,
        summary: 'Verify the whole chain and every checkpoint',
        response: { 200: VerifyReport, ...problemResponses },
      },
    },
    async (request) => audit.verify(contextOf(request)),
  );

  app.get(
    '/audit/export',
    {
      config: { action: 'audit:log:export' },
      schema: {
        tags,
        summary: 'Export the chain as JSON Lines, ending on a freshly signed checkpoint',
        response: {
          200: Type.Unknown({
            description: `JSON Lines (${exportMediaType}): {"type":"entry",…} per entry, then {"type":"checkpoint",…} per checkpoint.`,
          }),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const lines = await audit.exportLines(contextOf(request));
      // Pull the first chunk before answering, so a failure (the checkpoint cannot be written) is still an
      // error response rather than a cut-off 200.
      const first = await lines.next();
      async function* body() {
        if (!first.done) yield first.value;
        yield* lines;
      }
      return reply
        .type(exportMediaType)
        .header('content-disposition', 'attachment; filename="warden-audit.jsonl"')
        .header('cache-control', 'no-store')
        .send(Readable.from(body(), { objectMode: false }));
    },
  );
};
