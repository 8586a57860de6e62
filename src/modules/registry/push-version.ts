import type { CallContext } from '../../platform/call-context.js';
import { createMutex } from '../../platform/mutex.js';
import type { BlobCollector } from '../artifacts/index.js';
import { rootDigest } from '../manifest/index.js';
import { checkPushRequest, precheckSignature, refuseExisting, resolveParent } from './push-checks.js';
import { type PublishDeps, publishVersion } from './push-publish.js';
import { receiveFiles } from './push-receive.js';
import type { PushRequest, PushSource } from './push-request.js';
import { modelNotFound, rootDigestMismatch } from './registry.errors.js';
import type { VersionDetailView } from './registry.views.js';
import { aliasResource, modelResource } from './registry-access.js';
import type { RegistryServiceDeps } from './registry-deps.js';

export type { IncomingFile, PushRequest, PushSource } from './push-request.js';

type PushDeps = Pick<
  RegistryServiceDeps,
  'uow' | 'read' | 'blobs' | 'clock' | 'logger' | 'limits' | 'access' | 'verifier'
> &
  PublishDeps & { collector: BlobCollector };

/**
 * Builds the push use case. Bytes are staged privately while they stream in; only when every file has
 * arrived, every limit held and the root digest matched are the blobs published and the version row
 * written. Any failure before that leaves the registry and the artifact store exactly as they were.
 *
 * The steps: check the request → authorize (before a byte is read) → receive the files → check the root
 * digest and any signature → publish (push-publish.ts) on one transaction. Blobs committed by a publish
 * that then fails are released to the collector, which keeps any another version uses.
 */
export function createPushVersion(deps: PushDeps) {
  const { uow, read, blobs, clock, logger, limits, access } = deps;
  // Safety against destroying a blob under a version being published comes from the blob rows (claimed in
  // the publishing transaction, locked by the collector), in any process. Serializing this process's
  // publishing on top spares its pushes the retryable push_conflict a failed neighbour's clean-up could cause.
  const publishLock = createMutex();

  return async function pushVersion(
    modelName: string,
    request: PushRequest,
    source: PushSource,
    ctx: CallContext,
  ): Promise<VersionDetailView> {
    const aliases = checkPushRequest(request);
    const model = await read.registry.findModelByName(modelName);
    if (!model) throw modelNotFound(modelName);
    // Authorized before a single byte of the files is read.
    await access.require(ctx, 'registry:version:push', modelResource(model));
    for (const alias of aliases) await access.require(ctx, 'registry:alias:set', aliasResource(model, alias));
    const parent = await resolveParent(read.registry, model, request.lineage?.parent);

    const staging = await blobs.createStaging();
    try {
      const received = await receiveFiles(staging, request.kind, source, limits);
      const digest = rootDigest(received.files.map((f) => ({ name: f.path, digest: f.digest })));
      const expected = source.expectedDigest();
      if (expected !== digest) throw rootDigestMismatch(expected, digest);
      if (request.signature !== undefined)
        await precheckSignature(deps, { model, request, received, digest }, ctx);

      return await publishLock.run(async () => {
        refuseExisting(
          modelName,
          (await read.registry.findVersionsByDigestPrefix(model.id, digest))[0],
          digest,
        );
        const { created } = await staging.commit();
        try {
          const publication = { model, request, received, digest, parent, aliases, created };
          const view = await uow.run((stores) => publishVersion(stores, deps, publication, ctx));
          logger.info(
            {
              event: 'version.pushed',
              actor: ctx.principal.id,
              model: modelName,
              version: view.number,
              digest: view.digest,
            },
            'version pushed',
          );
          return view;
        } catch (err) {
          // A push that committed blobs and then failed gives them back.
          await deps.collector.release(created, clock.now().toISOString());
          throw err;
        }
      });
    } finally {
      await staging.discard();
    }
  };
}
