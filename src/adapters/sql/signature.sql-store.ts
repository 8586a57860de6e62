import type { Kysely, Selectable } from 'kysely';
import type {
  SignatureStore,
  SignerRecord,
  VersionSignatureRecord,
} from '../../modules/signing/signature.types.js';
import type { Database } from './database.js';

/** Kysely's view of the signing tables (migration 0005); environments are a JSON array in TEXT. */
export type SignatureTables = {
  signers: SignersTable;
  version_signatures: VersionSignaturesTable;
};

export type SignersTable = {
  id: string;
  name: string;
  public_key_pem: string;
  key_hint: string;
  environments: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  revoked_by: string | null;
};

export type VersionSignaturesTable = {
  id: string;
  version_id: string;
  signer_id: string;
  bundle: string;
  status: string;
  detail: string;
  attached_by: string;
  attached_at: string;
};

/** The signature store bound to one connection or transaction. */
export function createSignatureSqlStore(executor: Kysely<Database>): SignatureStore {
  const db = executor.withTables<SignatureTables>();
  const signerWhere = async (column: 'id' | 'name', value: string) => {
    const row = await db.selectFrom('signers').selectAll().where(column, '=', value).executeTakeFirst();
    return row ? toSigner(row) : null;
  };
  return {
    async insertSigner(s) {
      await db
        .insertInto('signers')
        .values({
          id: s.id,
          name: s.name,
          public_key_pem: s.publicKeyPem,
          key_hint: s.keyHint,
          environments: JSON.stringify(s.environments),
          created_by: s.createdBy,
          created_at: s.createdAt,
          revoked_at: s.revokedAt,
          revoked_by: s.revokedBy,
        })
        .execute();
    },
    findSignerByName: (name) => signerWhere('name', name),
    findSignerById: (id) => signerWhere('id', id),
    async listSigners() {
      const rows = await db.selectFrom('signers').selectAll().orderBy('name').execute();
      return rows.map(toSigner);
    },
    async revokeSigner(id, revokedBy, revokedAt) {
      await db
        .updateTable('signers')
        .set({ revoked_at: revokedAt, revoked_by: revokedBy })
        .where('id', '=', id)
        .execute();
    },
    async insertSignature(s) {
      await db
        .insertInto('version_signatures')
        .values({
          id: s.id,
          version_id: s.versionId,
          signer_id: s.signerId,
          bundle: s.bundle,
          status: s.status,
          detail: s.detail,
          attached_by: s.attachedBy,
          attached_at: s.attachedAt,
        })
        .execute();
    },
    async listVersionSignatures(versionId) {
      const rows = await db
        .selectFrom('version_signatures')
        .selectAll()
        .where('version_id', '=', versionId)
        .orderBy('attached_at')
        .orderBy('id')
        .execute();
      return rows.map(toSignature);
    },
  };
}

function toSigner(row: Selectable<SignersTable>): SignerRecord {
  return {
    id: row.id,
    name: row.name,
    publicKeyPem: row.public_key_pem,
    keyHint: row.key_hint,
    environments: JSON.parse(row.environments) as string[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

function toSignature(row: Selectable<VersionSignaturesTable>): VersionSignatureRecord {
  return {
    id: row.id,
    versionId: row.version_id,
    signerId: row.signer_id,
    bundle: row.bundle,
    status: row.status === 'verified' ? 'verified' : 'failed',
    detail: row.detail,
    attachedBy: row.attached_by,
    attachedAt: row.attached_at,
  };
}
