import type { CallContext } from '../../../platform/call-context.js';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import type { UnitOfWork } from '../../../platform/unit-of-work.js';
import type { BlobCollector, BlobStore } from '../../artifacts/index.js';
import type { Access, AccessStores } from '../../policy/index.js';
import {
  eventModel,
  type ModelRecord,
  parseVersionRef,
  type RegistryStore,
  registryErrors,
  resolveVersion,
  type VersionRecord,
  versionResource,
} from '../../registry/index.js';
import type { ReferenceProfile } from '../monitor.types.js';
import { buildProfile } from './build-profile.js';
import { datasetFormat } from './dataset-format.js';
import { createRowReservoir, scoringLayout, withModelAnswers } from './model-answers.js';
import { referenceNotFound } from './reference.errors.js';
import type { ReferenceEvent } from './reference.events.js';
import type {
  DatasetSpool,
  ReferenceProfiles,
  ReferenceScorer,
  ReferenceStore,
  ReferenceStores,
  RoleOverrides,
} from './reference.ports.js';
import { type ReferenceView, referenceView } from './reference.views.js';

/** Reference rows the model is run on, at most (a uniform sample of the dataset's complete rows). */
const maxScoredRows = 10_000;

export interface ReferenceServiceDeps {
  uow: UnitOfWork<ReferenceStores & { registry: RegistryStore } & AccessStores>;
  read: { registry: RegistryStore; references: ReferenceStore };
  blobs: Pick<BlobStore, 'createStaging' | 'stat' | 'openVerified' | 'verify' | 'releasesOnlyVerifiedBytes'>;
  collector: Pick<BlobCollector, 'release'>;
  spool: DatasetSpool;
  clock: Clock;
  logger: Logger;
  access: Access<ReferenceEvent>;
  limits: { maxBytes: number; sampleSize: number };
  /** Runs the version's model on reference rows that come without its answers (ONNX models). */
  scorer?: ReferenceScorer;
  /** The reservoir's draws (Math.random by default). */
  random?: () => number;
}

/** An upload: the bytes, and what says which format they are in and which roles the columns have. */
export interface ReferenceUpload {
  body: AsyncIterable<Uint8Array>;
  format?: string;
  contentType?: string;
  fileName?: string;
  overrides?: RoleOverrides;
}

export type ReferenceService = ReturnType<typeof createReferenceService>;

/**
 * A version's reference dataset: attached (streamed to a private spool, parsed and profiled, then stored
 * as an encrypted content-addressed blob and recorded with its profile on one transaction), shown,
 * downloaded, and read without a caller by monitoring's windows (`profiles`).
 */
export function createReferenceService(deps: ReferenceServiceDeps) {
  const { uow, read, blobs, access, logger } = deps;

  const versionOf = async (
    modelName: string,
    ref: string,
  ): Promise<{ model: ModelRecord; version: VersionRecord }> => {
    const model = await read.registry.findModelByName(modelName);
    if (!model) throw registryErrors.modelNotFound(modelName);
    return { model, version: await resolveVersion(read.registry, model, parseVersionRef(ref)) };
  };
  const live = (model: ModelRecord, version: VersionRecord) => {
    if (version.deleted) throw registryErrors.versionDeleted(model.name, version.number, version.deleted);
  };

  const profiles: ReferenceProfiles = {
    async profileFor(modelName, number): Promise<ReferenceProfile | null> {
      const model = await read.registry.findModelByName(modelName);
      const version = model ? await read.registry.findVersionByNumber(model.id, number) : null;
      if (!version || version.deleted) return null;
      return (await read.references.find(version.id))?.profile ?? null;
    },
  };

  return {
    profiles,

    /** Attaches (or replaces) a version's reference dataset; nothing is stored unless all of it reads. */
    async set(
      ctx: CallContext,
      modelName: string,
      ref: string,
      upload: ReferenceUpload,
    ): Promise<ReferenceView> {
      const { model, version } = await versionOf(modelName, ref);
      await access.require(ctx, 'monitor:reference:set', versionResource(model, version));
      live(model, version);
      const format = datasetFormat(upload);
      const spooled = await deps.spool.spool(upload.body, deps.limits.maxBytes);
      const staging = await blobs.createStaging();
      try {
        const rows = await spooled.read(format);
        const overrides = upload.overrides ?? {};
        const layout = deps.scorer ? scoringLayout(rows.columns, version.ioSignature, overrides) : null;
        const sample = layout
          ? createRowReservoir(
              layout,
              Math.min(deps.limits.sampleSize, maxScoredRows),
              deps.random ?? Math.random,
            )
          : null;
        let profile = await buildProfile(rows, {
          format,
          digest: spooled.digest,
          signature: version.ioSignature,
          overrides,
          sampleSize: deps.limits.sampleSize,
          ...(deps.random ? { random: deps.random } : {}),
          ...(sample ? { onRow: sample.offer } : {}),
        });
        const input = sample?.input();
        if (deps.scorer && input && version.ioSignature) {
          // The dataset has no answers of the model's: its own, on a sample of the rows, are the baseline
          // prediction drift is measured against. A model that cannot run leaves the reference without them.
          try {
            const outputs = await deps.scorer.score(version, input);
            profile = withModelAnswers(profile, version.ioSignature, outputs);
          } catch (err) {
            logger.warn(
              { err, model: model.name, version: version.number },
              'the reference was not scored by the model: prediction drift has no baseline',
            );
          }
        }
        await staging.write(spooled.open(), {
          maxBytes: deps.limits.maxBytes,
          expectedDigest: spooled.digest,
        });
        const { created } = await staging.commit();
        let replaced: string | null = null;
        try {
          const record = {
            versionId: version.id,
            modelId: model.id,
            version: version.number,
            profile,
            size: spooled.size,
            setBy: ctx.principal.id,
            setByName: ctx.principal.name,
            setAt: deps.clock.now().toISOString(),
          };
          await uow.run(async (stores) => {
            await stores.registry.lockModel(model.id);
            const current = await stores.registry.findVersionById(version.id);
            if (current) live(model, current);
            await stores.registry.claimBlobs([spooled.digest]);
            // Already stored before this upload: a deletion may have destroyed it since.
            if (!created.includes(spooled.digest) && !(await blobs.stat(spooled.digest))) {
              throw registryErrors.pushConflict(model.name);
            }
            replaced = (await stores.references.find(version.id))?.profile.datasetDigest ?? null;
            await stores.references.save(record);
            await access.record(stores, ctx, {
              type: 'monitor.reference.set',
              model: eventModel(model),
              version: version.number,
              digest: spooled.digest,
              format,
              size: spooled.size,
              rows: profile.rows,
              columns: profile.columns.length,
              replaced,
            });
          });
          logger.info(
            { event: 'reference.set', model: model.name, version: version.number, digest: spooled.digest },
            'reference dataset attached',
          );
          if (replaced !== null && replaced !== spooled.digest) {
            await deps.collector.release([replaced], deps.clock.now().toISOString());
          }
          return referenceView(model.name, record, false);
        } catch (err) {
          await deps.collector.release(created, deps.clock.now().toISOString());
          throw err;
        }
      } finally {
        await staging.discard();
        await spooled.discard();
      }
    },

    /** The reference's summary: columns, roles, kinds, counts, digest, rows (samples when asked). */
    async get(
      ctx: CallContext,
      modelName: string,
      ref: string,
      options: { samples?: boolean } = {},
    ): Promise<ReferenceView> {
      const { model, version } = await versionOf(modelName, ref);
      await access.require(ctx, 'monitor:reference:read', versionResource(model, version));
      live(model, version);
      const record = await read.references.find(version.id);
      if (!record) throw referenceNotFound(model.name, version.number);
      return referenceView(model.name, record, options.samples === true);
    },

    /** The dataset's bytes, verified as they are read; on the audit record before a byte leaves. */
    async download(ctx: CallContext, modelName: string, ref: string) {
      const { model, version } = await versionOf(modelName, ref);
      await access.require(ctx, 'monitor:reference:read', versionResource(model, version));
      live(model, version);
      const record = await read.references.find(version.id);
      if (!record) throw referenceNotFound(model.name, version.number);
      const digest = record.profile.datasetDigest;
      if (!blobs.releasesOnlyVerifiedBytes) await blobs.verify(digest);
      const opened = await blobs.openVerified(digest);
      try {
        await access.recordAlone(ctx, {
          type: 'monitor.reference.read',
          model: eventModel(model),
          version: version.number,
          digest,
        });
      } catch (err) {
        (opened.stream as { destroy?: () => void }).destroy?.();
        throw err;
      }
      return {
        digest,
        format: record.profile.format,
        size: opened.size,
        version: version.number,
        stream: opened.stream,
      };
    },
  };
}
