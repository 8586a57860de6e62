import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { type AuditQueryService, exportMediaType } from '../../modules/audit/index.js';
import { requirePrincipal } from '../plugins/authenticate.js';
import { AuditListQuery, AuditPubkey, VerifyReport } from '../schemas/audit.schemas.js';
import { pageOf, problemResponses } from '../schemas/common.schemas.js';

export interface AuditRouteOptions {
  audit: AuditQueryService;
}

/** The audit log: search, checkpoints, public key, verification and export. Needs the schemas AuditEntry and AuditCheckpoint registered. */
export const auditRoutes: FastifyPluginAsyncTypebox<AuditRouteOptions> = async (app, { audit }) => {
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
    async (request) => {
      const { unscoped, teams } = requirePrincipal(request);
      return audit.list(request.query, unscoped ? { unscoped } : { unscoped, teams });
    },
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
    async () => audit.checkpoints(),
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
    async () => audit.pubkey(),
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
    async () => audit.verify(),
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
    async (_request, reply) => {
      const lines = audit.exportLines();
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
