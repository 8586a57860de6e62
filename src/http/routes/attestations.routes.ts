import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { AttestationService } from '../../modules/attestations/index.js';
import { vulnReportLimits } from '../../modules/attestations/index.js';
import type { CallContext } from '../../modules/identity/index.js';
import {
  AttachAttestationBody,
  Attestation,
  AttestationDetail,
  AttestationParams,
} from '../schemas/attestations.schemas.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { VersionParams } from '../schemas/registry.schemas.js';

export interface AttestationRouteOptions {
  attestations: AttestationService;
  contextOf(request: FastifyRequest): CallContext;
}

/** A report may be larger than other JSON bodies: its limit, plus room for the envelope around it. */
export const attestationBodyLimit = vulnReportLimits.maxBytes + 64 * 1024;

/** Attestations on versions (vulnerability reports): attach, list, show. Immutable: no update, no delete. */
export const attestationRoutes: FastifyPluginAsyncTypebox<AttestationRouteOptions> = async (
  app,
  { attestations, contextOf },
) => {
  const tags = ['attestations'];

  app.post(
    '/models/:name/versions/:ref/attestations',
    {
      config: { action: 'attestation:create' },
      bodyLimit: attestationBodyLimit,
      schema: {
        tags,
        summary: "Attach a vulnerability report to a version (the scanner's JSON; format detected or named)",
        description:
          'Accepted formats: npm-audit (`npm audit --json`), pip-audit (`pip-audit -f json`), osv-scanner ' +
          '(`osv-scanner --format json`), trivy (`trivy --format json`). The report is summarized on Warden’s ' +
          'severity scale and stored as canonical JSON; the same report twice on one version is refused (409 ' +
          '`attestation_exists`). A report of the wrong shape is 400 `vuln_report_invalid` naming the JSON path.',
        params: VersionParams,
        body: AttachAttestationBody,
        response: { 201: Attestation, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { name, ref } = request.params;
      const { type, format, report } = request.body;
      const view = await attestations.attach(
        name,
        ref,
        { type, report, ...(format !== undefined ? { format } : {}) },
        contextOf(request),
      );
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/models/:name/versions/:ref/attestations',
    {
      config: { action: 'attestation:list' },
      schema: {
        tags,
        summary: "List a version's attestations, oldest first, with what each found",
        params: VersionParams,
        response: { 200: Type.Array(Attestation), ...problemResponses },
      },
    },
    async (request) => attestations.list(request.params.name, request.params.ref, contextOf(request)),
  );

  app.get(
    '/models/:name/versions/:ref/attestations/:id',
    {
      config: { action: 'attestation:list' },
      schema: {
        tags,
        summary: 'Show one attestation with the report it attests',
        params: AttestationParams,
        response: { 200: AttestationDetail, ...problemResponses },
      },
    },
    async (request) => {
      const { name, ref, id } = request.params;
      return attestations.get(name, ref, id, contextOf(request));
    },
  );
};
