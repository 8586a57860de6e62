import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores, createSqlUnitOfWork } from '../../src/adapters/sql/unit-of-work.js';
import type { AttestationRecord } from '../../src/modules/attestations/index.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import { aModel, at, aVersion, sha256, someFiles } from './registry-records.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const anAttestation = (versionId: string, n: number, overrides: Partial<AttestationRecord> = {}) =>
  ({
    id: `att_${versionId}_${n}`,
    versionId,
    type: 'vuln-report',
    format: 'trivy',
    digest: sha256(`report ${n}`),
    summary: {
      format: 'trivy',
      tool: 'trivy 0.58.1',
      findings: n,
      maxSeverity: n === 0 ? 'none' : 'high',
      counts: { low: 0, medium: 0, high: n, critical: 0 },
      ids: Array.from({ length: n }, (_, i) => `CVE-2024-${1000 + i}`),
    },
    createdBy: 'token:ci',
    createdByName: 'ci-bot',
    createdAt: at(n),
    ...overrides,
  }) satisfies AttestationRecord;

describe.each(backends)('AttestationStore contract (%s)', (_name, factory) => {
  let t: TestDatabase;
  let database: SqlDatabase;
  let stores: Stores;

  beforeEach(async () => {
    t = await factory.create();
    database = t.open();
    await migrateToLatest(database.db);
    stores = createSqlStores(database.db, database.capabilities);
  });
  afterEach(async () => {
    await database.close();
    await t.cleanup();
  });

  const aStoredVersion = async (number = 1) => {
    const model = aModel();
    await stores.registry.insertModel(model);
    const version = aVersion(model, number);
    await stores.registry.insertVersion(version, someFiles(1));
    return version;
  };

  it("keeps a version's attestations oldest first, summaries intact, documents apart", async () => {
    const version = await aStoredVersion();
    const other = await aStoredVersion();
    const later = anAttestation(version.id, 5);
    const earlier = anAttestation(version.id, 2, { createdByName: null });
    await stores.attestations.insert(later, '{"later":true}');
    await stores.attestations.insert(earlier, '{"earlier":true}');
    await stores.attestations.insert(anAttestation(other.id, 1), '{}');
    expect(await stores.attestations.listForVersion(version.id)).toEqual([earlier, later]);
    expect(await stores.attestations.findWithDocument(version.id, later.id)).toEqual({
      record: later,
      document: '{"later":true}',
    });
    expect(await stores.attestations.listForVersion('no-such-version')).toEqual([]);
  });

  it('finds an attestation only under its own version', async () => {
    const version = await aStoredVersion();
    const other = await aStoredVersion();
    const a = anAttestation(version.id, 1);
    await stores.attestations.insert(a, '{}');
    expect(await stores.attestations.findWithDocument(other.id, a.id)).toBeNull();
    expect(await stores.attestations.findWithDocument(version.id, 'nope')).toBeNull();
  });

  it('holds one copy of a document per version and type, refuses an unknown version', async () => {
    const version = await aStoredVersion();
    const first = anAttestation(version.id, 1);
    await stores.attestations.insert(first, '{}');
    await expect(
      stores.attestations.insert({ ...first, id: 'att_again', createdAt: at(9) }, '{}'),
    ).rejects.toThrow();
    await expect(stores.attestations.insert(anAttestation('no-such-version', 3), '{}')).rejects.toThrow();
    // The same report on another version is another attestation.
    const other = await aStoredVersion();
    await stores.attestations.insert({ ...first, id: 'att_other', versionId: other.id }, '{}');
    expect(await stores.attestations.listForVersion(version.id)).toEqual([first]);
  });

  it('stores a large document exactly, and rolls back with its transaction', async () => {
    const version = await aStoredVersion();
    const document = JSON.stringify({ padding: 'x'.repeat(4 * 1024 * 1024 - 20), note: 'é ☃ 𝄞' });
    await stores.attestations.insert(anAttestation(version.id, 1), document);
    expect((await stores.attestations.findWithDocument(version.id, `att_${version.id}_1`))?.document).toBe(
      document,
    );
    const uow = createSqlUnitOfWork(database.db, database.capabilities);
    await expect(
      uow.run(async (trx) => {
        await trx.attestations.insert(anAttestation(version.id, 2), '{}');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await stores.attestations.listForVersion(version.id)).map((a) => a.id)).toEqual([
      `att_${version.id}_1`,
    ]);
  });
});
