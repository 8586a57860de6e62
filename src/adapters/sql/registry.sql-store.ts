import { type Kysely, sql } from 'kysely';
import type { Page, RegistryStore } from '../../modules/registry/registry.ports.js';
import type { ModelSummary } from '../../modules/registry/registry.types.js';
import { createBlobBookkeepingSql } from './blob-bookkeeping.sql-store.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';
import type { ReferenceTables } from './reference.sql-store.js';
import { fromModel, fromVersion, toAlias, toAliasEvent, toModel, toVersion } from './registry-rows.js';

/** The registry store bound to one connection or transaction. */
export function createRegistrySqlStore(db: Kysely<Database>, capabilities: SqlCapabilities): RegistryStore {
  const tagsOf = async (ids: string[]): Promise<Map<string, string[]>> => {
    const map = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return map;
    const rows = await db
      .selectFrom('model_tags')
      .selectAll()
      .where('model_id', 'in', ids)
      .orderBy('tag')
      .execute();
    for (const row of rows) map.get(row.model_id)?.push(row.tag);
    return map;
  };
  const replaceTags = async (modelId: string, tags: string[]): Promise<void> => {
    await db.deleteFrom('model_tags').where('model_id', '=', modelId).execute();
    if (tags.length > 0) {
      await db
        .insertInto('model_tags')
        .values(tags.map((tag) => ({ model_id: modelId, tag })))
        .execute();
    }
  };

  return {
    ...createBlobBookkeepingSql(db, capabilities),

    async insertModel(m) {
      await db.insertInto('models').values(fromModel(m)).execute();
      await replaceTags(m.id, m.tags);
    },

    async updateModel(id, patch) {
      await db
        .updateTable('models')
        .set({
          updated_at: patch.updatedAt,
          ...(patch.description !== undefined ? { description: patch.description } : {}),
        })
        .where('id', '=', id)
        .execute();
      if (patch.tags) await replaceTags(id, patch.tags);
    },

    async findModelByName(name) {
      const row = await db.selectFrom('models').selectAll().where('name', '=', name).executeTakeFirst();
      if (!row) return null;
      return toModel(row, (await tagsOf([row.id])).get(row.id) ?? []);
    },

    async findModelById(id) {
      const row = await db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      return toModel(row, (await tagsOf([row.id])).get(row.id) ?? []);
    },

    async lockModel(id) {
      if (!capabilities.rowLocks) return;
      await db.selectFrom('models').select('id').where('id', '=', id).forUpdate().execute();
    },

    async listModels({ tag, nameContains, limit, after }) {
      // Walks the unique index on name in order, so a page costs `limit` matches whatever the table's size.
      let q = db.selectFrom('models').selectAll('models');
      if (tag) q = q.where('id', 'in', db.selectFrom('model_tags').select('model_id').where('tag', '=', tag));
      if (nameContains) {
        const pattern = `%${escapeLike(nameContains.toLowerCase())}%`;
        q = q.where(sql<boolean>`lower(${sql.ref('models.name')}) like ${pattern} escape '\\'`);
      }
      if (after) q = q.where('name', '>', after);
      const rows = await q
        .orderBy('name')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const tags = await tagsOf(page.map((r) => r.id));
      return paged(
        page.map((r) => toModel(r, tags.get(r.id) ?? [])),
        rows.length > limit,
        (m) => m.name,
      );
    },

    async summarizeModels(modelIds) {
      const out = new Map<string, ModelSummary>(
        modelIds.map((id) => [id, { latestVersion: null, aliases: [] }]),
      );
      if (modelIds.length === 0) return out;
      // Two queries for the whole page, never one per model.
      const latest = await db
        .selectFrom('versions')
        .select(['model_id', (eb) => eb.fn.max('number').as('latest')])
        .where('model_id', 'in', modelIds)
        .where('deleted_at', 'is', null)
        .groupBy('model_id')
        .execute();
      for (const row of latest) {
        const summary = out.get(row.model_id);
        if (summary) summary.latestVersion = Number(row.latest);
      }
      const aliases = await db
        .selectFrom('aliases')
        .innerJoin('versions', 'versions.id', 'aliases.version_id')
        .select(['aliases.model_id', 'aliases.name', 'versions.number'])
        .where('aliases.model_id', 'in', modelIds)
        .orderBy('aliases.model_id')
        .orderBy('aliases.name')
        .execute();
      for (const row of aliases)
        out.get(row.model_id)?.aliases.push({ name: row.name, version: Number(row.number) });
      return out;
    },

    async nextVersionNumber(modelId) {
      const row = await db
        .selectFrom('versions')
        .select((eb) => eb.fn.max('number').as('max'))
        .where('model_id', '=', modelId)
        .executeTakeFirst();
      return Number(row?.max ?? 0) + 1;
    },

    async insertVersion(v, files) {
      await db.insertInto('versions').values(fromVersion(v)).execute();
      // Chunked so a many-file version stays under every backend's bound-parameter limit.
      for (let i = 0; i < files.length; i += 200) {
        await db
          .insertInto('version_files')
          .values(
            files
              .slice(i, i + 200)
              .map((f) => ({ version_id: v.id, path: f.path, digest: f.digest, size: f.size })),
          )
          .execute();
      }
    },

    async findVersionByNumber(modelId, number) {
      const row = await db
        .selectFrom('versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('number', '=', number)
        .executeTakeFirst();
      return row ? toVersion(row) : null;
    },

    async findVersionsByDigestPrefix(modelId, prefix) {
      const rows = await db
        .selectFrom('versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('digest', '>=', prefix)
        .where('digest', '<', `${prefix}g`)
        .limit(2)
        .execute();
      return rows.map(toVersion);
    },

    async findVersionById(id) {
      const row = await db.selectFrom('versions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toVersion(row) : null;
    },

    async listVersions(modelId, { limit, after, includeDeleted = false }) {
      let q = db.selectFrom('versions').selectAll().where('model_id', '=', modelId);
      if (!includeDeleted) q = q.where('deleted_at', 'is', null);
      if (after) q = q.where('number', '<', Number(after));
      const rows = await q
        .orderBy('number', 'desc')
        .limit(limit + 1)
        .execute();
      return paged(rows.slice(0, limit).map(toVersion), rows.length > limit, (v) => String(v.number));
    },

    async listVersionFiles(versionId) {
      const rows = await db
        .selectFrom('version_files')
        .select(['path', 'digest', 'size'])
        .where('version_id', '=', versionId)
        .execute();
      return rows.map((r) => ({ path: r.path, digest: r.digest, size: Number(r.size) }));
    },

    async markVersionDeleted(id, deletion) {
      await db
        .updateTable('versions')
        .set({
          deleted_at: deletion.at,
          deleted_by: deletion.by,
          deleted_by_name: deletion.byName,
          delete_reason: deletion.reason,
        })
        .where('id', '=', id)
        .execute();
      // Data attached to the version goes with its bytes: the reference dataset's profile holds sampled rows.
      await db
        .withTables<ReferenceTables>()
        .deleteFrom('reference_datasets')
        .where('version_id', '=', id)
        .execute();
    },

    async findAlias(modelId, name) {
      const row = await db
        .selectFrom('aliases')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? toAlias(row) : null;
    },

    async listAliases(modelId) {
      const rows = await db
        .selectFrom('aliases')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('name')
        .execute();
      return rows.map(toAlias);
    },

    async upsertAlias(a) {
      const values = {
        model_id: a.modelId,
        name: a.name,
        version_id: a.versionId,
        updated_by: a.updatedBy,
        updated_by_name: a.updatedByName,
        updated_at: a.updatedAt,
      };
      await db
        .insertInto('aliases')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['model_id', 'name']).doUpdateSet({
            version_id: a.versionId,
            updated_by: a.updatedBy,
            updated_by_name: a.updatedByName,
            updated_at: a.updatedAt,
          }),
        )
        .execute();
    },

    async deleteAlias(modelId, name) {
      await db.deleteFrom('aliases').where('model_id', '=', modelId).where('name', '=', name).execute();
    },

    async insertAliasEvent(e) {
      await db
        .insertInto('alias_events')
        .values({
          id: e.id,
          model_id: e.modelId,
          alias: e.alias,
          from_version_id: e.fromVersionId,
          to_version_id: e.toVersionId,
          actor: e.actor,
          actor_name: e.actorName,
          reason: e.reason,
          at: e.at,
        })
        .execute();
    },

    async listAliasEvents(modelId, alias, { limit, after }) {
      let q = db
        .selectFrom('alias_events')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('alias', '=', alias);
      if (after) q = q.where('id', '<', after);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return paged(rows.slice(0, limit).map(toAliasEvent), rows.length > limit, (e) => e.id);
    },
  };
}

/** A LIKE pattern that matches `text` literally: each backslash, `%` and `_` escaped with a backslash. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function paged<T>(items: T[], more: boolean, key: (item: T) => string): Page<T> {
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? key(last) : null };
}
