import type { DeploymentPolicyRecord } from '../deploy/index.js';
import type { GuardPolicyDocument } from './guard-policy-document.js';

/** One deployment's stored guard policy: what the operator set, and who set it, when and why. */
/** A deployment's stored guard policy: only the fields the operator set (`{}` after a reset). */
export type GuardPolicyRecord = DeploymentPolicyRecord<GuardPolicyDocument>;

/** Persistence of guard policies; every method runs on the executor the store was built on. */
export interface GuardPolicyStore {
  find(environment: string, model: string): Promise<GuardPolicyRecord | null>;
  /** Every deployment's policy in one environment (the gateway's cache reads them all each second). */
  listForEnvironment(environment: string): Promise<GuardPolicyRecord[]>;
  /**
   * Writes the record if the stored revision is still `record.revision - 1` (0: none stored); false when
   * another change got there first.
   */
  save(record: GuardPolicyRecord): Promise<boolean>;
}

export interface GuardPolicyStores {
  guardPolicies: GuardPolicyStore;
}
