import type { Role } from '../../platform/principal.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';

/** A principal Warden knows by name: today the service accounts that API tokens are issued to. */
export interface PrincipalRecord {
  /** "service:<name>" (or "user:<subject>"). */
  id: string;
  kind: 'user' | 'service';
  name: string;
  /** The roles and teams of the latest token issued to it (each token keeps its own grant). */
  roles: Role[];
  teams: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** An API token as stored: the secret itself never is, only its SHA-256. */
export interface TokenRecord {
  id: string;
  secretHash: string;
  name: string;
  principalId: string;
  roles: Role[];
  teams: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** Persistence of principals and tokens; every method runs on the transaction the store was built on. */
export interface IdentityStore {
  /** True while no principal and no token exist at all (a fresh installation). */
  isEmpty(): Promise<boolean>;
  findPrincipal(id: string): Promise<PrincipalRecord | null>;
  insertPrincipal(principal: PrincipalRecord): Promise<void>;
  updatePrincipal(id: string, patch: { roles: Role[]; teams: string[]; updatedAt: string }): Promise<void>;
  insertToken(token: TokenRecord): Promise<void>;
  findToken(id: string): Promise<TokenRecord | null>;
  /** Every token, oldest first. */
  listTokens(): Promise<TokenRecord[]>;
  /**
   * Sets last_used_at = at where it is null or not later than `staleAt`, so concurrent uses of a token
   * within the same interval write once.
   */
  touchToken(id: string, at: string, staleAt: string): Promise<void>;
  /** Marks a live token revoked; false when it was already revoked (the first revocation is kept). */
  revokeToken(id: string, at: string, by: string): Promise<boolean>;
}

/** The stores an identity use case needs; the application's Stores has at least these. */
export interface IdentityStores {
  identity: IdentityStore;
}

/** Runs a use case on one transaction: the platform's one unit-of-work shape, over identity's stores. */
export type IdentityUnitOfWork<S extends IdentityStores = IdentityStores> = UnitOfWork<S>;
