import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, type SqlDatabase } from '../../src/adapters/sql/db.js';
import type { Stores } from '../../src/adapters/sql/stores.js';
import { createSqlStores } from '../../src/adapters/sql/unit-of-work.js';
import type { SignerRecord, VersionSignatureRecord } from '../../src/modules/signing/signature.types.js';
import { databaseFactories, type TestDatabase, type TestDatabaseFactory } from '../fixtures/databases.js';
import { aModel, at, aVersion, sha256, someFiles } from './registry-records.js';

const backends = databaseFactories().map((f): [string, TestDatabaseFactory] => [f.name, f]);

const aSigner = (overrides: Partial<SignerRecord> = {}): SignerRecord => ({
  id: `sgn_${overrides.name ?? 'release'}`,
  name: 'release',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
  keyHint: sha256(overrides.name ?? 'release'),
  environments: ['production', 'staging'],
  createdBy: 'user:alice',
  createdAt: at(1),
  revokedAt: null,
  revokedBy: null,
  ...overrides,
});

describe.each(backends)('SignatureStore contract (%s)', (_name, factory) => {
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

  const aSignedVersion = async () => {
    const model = aModel({ name: 'iris' });
    await stores.registry.insertModel(model);
    const version = aVersion(model, 1);
    await stores.registry.insertVersion(version, someFiles(1));
    return version;
  };
  const aSignature = (versionId: string, signerId: string, second: number): VersionSignatureRecord => ({
    id: `sig_${signerId}_${second}`,
    versionId,
    signerId,
    bundle: '{"mediaType":"x"}',
    status: 'verified',
    detail: 'ok',
    attachedBy: 'service:ci',
    attachedAt: at(second),
  });

  it('stores a signer and finds it by name and id, environments intact', async () => {
    const signer = aSigner();
    await stores.signatures.insertSigner(signer);
    expect(await stores.signatures.findSignerByName('release')).toEqual(signer);
    expect(await stores.signatures.findSignerById(signer.id)).toEqual(signer);
    expect(await stores.signatures.findSignerByName('nobody')).toBeNull();
  });

  it('lists signers by name, revoked ones included, and records a revocation', async () => {
    await stores.signatures.insertSigner(aSigner({ name: 'zeta' }));
    await stores.signatures.insertSigner(aSigner({ name: 'alpha' }));
    await stores.signatures.revokeSigner('sgn_zeta', 'user:admin', at(9));
    const listed = await stores.signatures.listSigners();
    expect(listed.map((s) => s.name)).toEqual(['alpha', 'zeta']);
    expect(listed[1]).toMatchObject({ revokedAt: at(9), revokedBy: 'user:admin' });
  });

  it('refuses a second signer with the same name', async () => {
    await stores.signatures.insertSigner(aSigner());
    await expect(stores.signatures.insertSigner(aSigner({ id: 'sgn_other' }))).rejects.toThrow();
  });

  it("keeps a version's signatures oldest first, one per signer", async () => {
    const version = await aSignedVersion();
    await stores.signatures.insertSigner(aSigner({ name: 'a' }));
    await stores.signatures.insertSigner(aSigner({ name: 'b' }));
    const second = { ...aSignature(version.id, 'sgn_b', 5), status: 'failed' as const, detail: 'shards' };
    await stores.signatures.insertSignature(second);
    await stores.signatures.insertSignature(aSignature(version.id, 'sgn_a', 3));
    expect(await stores.signatures.listVersionSignatures(version.id)).toEqual([
      aSignature(version.id, 'sgn_a', 3),
      second,
    ]);
    await expect(
      stores.signatures.insertSignature({ ...aSignature(version.id, 'sgn_a', 7) }),
    ).rejects.toThrow();
    expect(await stores.signatures.listVersionSignatures('no-such-version')).toEqual([]);
  });
});
