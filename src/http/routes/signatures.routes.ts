import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { problemResponses } from '../schemas/common.schemas.js';
import {
  AttachSignatureBody,
  CreateSignerBody,
  SignatureView,
  Signer,
  SignerParams,
  VersionParams,
} from '../schemas/registry.schemas.js';
import type { RegistryRouteOptions } from './models.routes.js';

/** The trusted-signer keyring (admins) and signatures attached to existing versions. */
export const signatureRoutes: FastifyPluginAsyncTypebox<RegistryRouteOptions> = async (
  app,
  { registry, contextOf },
) => {
  const tags = ['signatures'];

  app.post(
    '/signers',
    {
      config: { action: 'signing:signer:create' },
      schema: {
        tags,
        summary: 'Trust a signer: a name, an ECDSA public key and the environments it may sign for',
        body: CreateSignerBody,
        response: { 201: Signer, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { name, publicKey, environments } = request.body;
      const signer = await registry.addSigner(
        { name, publicKeyPem: publicKey, ...(environments ? { environments } : {}) },
        contextOf(request),
      );
      return reply.code(201).send(signer);
    },
  );

  app.get(
    '/signers',
    {
      config: { action: 'signing:signer:list' },
      schema: {
        tags,
        summary: 'List trusted signers, revoked ones included',
        response: { 200: Type.Array(Signer), ...problemResponses },
      },
    },
    async (request) => registry.listSigners(contextOf(request)),
  );

  app.delete(
    '/signers/:name',
    {
      config: { action: 'signing:signer:revoke' },
      schema: {
        tags,
        summary: 'Revoke a signer: its signatures show as revoked from now on',
        params: SignerParams,
        response: { 200: Signer, ...problemResponses },
      },
    },
    async (request) => registry.revokeSigner(request.params.name, contextOf(request)),
  );

  app.post(
    '/models/:name/versions/:ref/signatures',
    {
      config: { action: 'registry:signature:attach' },
      schema: {
        tags,
        summary: "Attach a model signature, verified against the version's manifest and a trusted signer",
        params: VersionParams,
        body: AttachSignatureBody,
        response: { 201: SignatureView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { name, ref } = request.params;
      const view = await registry.attachSignature(name, ref, request.body.bundle, contextOf(request));
      return reply.code(201).send(view);
    },
  );
};
