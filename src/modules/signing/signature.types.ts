/** A key trusted to sign model versions. Never deleted: revoked, so past signatures still name it. */
export interface SignerRecord {
  id: string;
  name: string;
  publicKeyPem: string;
  /** Hex SHA-256 of the re-serialized public key PEM: the hint a model-signing bundle carries. */
  keyHint: string;
  /** The environments this signer may vouch for (informational until deployments check it). */
  environments: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export const signatureStatuses = ['verified', 'failed'] as const;
export type StoredSignatureStatus = (typeof signatureStatuses)[number];

/** A signature attached to a version, with the result of verifying it when it was attached. */
export interface VersionSignatureRecord {
  id: string;
  versionId: string;
  signerId: string;
  /** The bundle JSON exactly as it was attached. */
  bundle: string;
  status: StoredSignatureStatus;
  detail: string;
  attachedBy: string;
  attachedAt: string;
}

/** Persistence of the signer keyring and version signatures, bound to one transaction or connection. */
export interface SignatureStore {
  insertSigner(signer: SignerRecord): Promise<void>;
  findSignerByName(name: string): Promise<SignerRecord | null>;
  findSignerById(id: string): Promise<SignerRecord | null>;
  /** Every signer, revoked ones included, by name. */
  listSigners(): Promise<SignerRecord[]>;
  revokeSigner(id: string, revokedBy: string, revokedAt: string): Promise<void>;
  insertSignature(signature: VersionSignatureRecord): Promise<void>;
  /** A version's signatures, oldest first. */
  listVersionSignatures(versionId: string): Promise<VersionSignatureRecord[]>;
}
