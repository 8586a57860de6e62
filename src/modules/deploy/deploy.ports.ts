import type { Page } from '../../platform/page.js';
import type { UnitOfWork } from '../../platform/unit-of-work.js';
import type { AuditStore } from '../audit/index.js';
import type { IdentityStore } from '../identity/index.js';
import type { OutboxStore } from '../outbox/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { SignatureStore } from '../signing/index.js';
import type {
  ApprovalRecord,
  DeploymentRecord,
  DeployRequestRecord,
  LiveRecord,
  RequestState,
  VulnerabilityEvidence,
} from './deploy.types.js';

/** Persistence of requests, approvals, live state and history; bound to one transaction or connection. */
export interface DeployStore {
  /**
   * Serializes every change to one environment's live state (row lock where the backend has them) and
   * returns its current revision (0 before the first change).
   */
  lockEnvironment(environment: string): Promise<number>;
  /** Sets the environment's revision (one more than `lockEnvironment` returned). */
  setRevision(environment: string, revision: number, at: string): Promise<void>;
  /** The environment's current revision without locking (0 before the first change). */
  revision(environment: string): Promise<number>;

  insertRequest(request: DeployRequestRecord): Promise<void>;
  findRequest(id: string): Promise<DeployRequestRecord | null>;
  /**
   * Moves a request from one of `from` to `to`; false when it was no longer in one of them (someone else
   * moved it first), so two racing callers cannot both succeed.
   */
  transitionRequest(
    id: string,
    from: readonly RequestState[],
    to: RequestState,
    close: { at: string; by: string | null; reason: string | null } | null,
  ): Promise<boolean>;
  /** Requests of one environment (or all of them), of one model or all, newest first. */
  listRequests(query: {
    environment?: string;
    modelId?: string;
    states?: readonly RequestState[];
    limit: number;
    after?: string;
  }): Promise<Page<DeployRequestRecord>>;

  insertApproval(approval: ApprovalRecord): Promise<void>;
  listApprovals(requestId: string): Promise<ApprovalRecord[]>;

  findLive(environment: string, modelId: string): Promise<LiveRecord | null>;
  upsertLive(live: LiveRecord): Promise<void>;
  listLive(environment: string): Promise<LiveRecord[]>;

  insertDeployment(deployment: DeploymentRecord): Promise<void>;
  findDeployment(id: string): Promise<DeploymentRecord | null>;
  markRolledBack(id: string): Promise<void>;
  /** A target's history, newest first. */
  listDeployments(query: {
    environment: string;
    modelId: string;
    limit: number;
    after?: string;
  }): Promise<Page<DeploymentRecord>>;
  /** Stable deployments of a target, newest first (the candidates of a rollback). */
  listStableDeployments(environment: string, modelId: string, limit: number): Promise<DeploymentRecord[]>;
}

/** What the vulnerabilities gate reads of a version's attached reports, on the caller's transaction. */
export type ReadVulnerabilities<S> = (stores: S, versionId: string) => Promise<VulnerabilityEvidence>;

/** The stores a deployment use case needs, bound to one transaction. */
export interface DeployStores {
  deploy: DeployStore;
  registry: RegistryStore;
  signatures: SignatureStore;
  identity: IdentityStore;
  audit: AuditStore;
  /** Webhook events, written with the change that raised them. */
  outbox: OutboxStore;
}

export type DeployUnitOfWork<S extends DeployStores = DeployStores> = UnitOfWork<S>;
