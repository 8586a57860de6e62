import type { GuardPolicyDocument } from './guard-policy-document.js';

/** One deployment's stored guard policy: what the operator set, and who set it, when and why. */
export interface GuardPolicyRecord {
  environment: string;
  model: string;
  /** Only the fields the operator set; `{}` after a reset (every guard at its default). */
  document: GuardPolicyDocument;
  /** 1 for the first policy of the deployment, one more for each change (a reset included). */
  revision: number;
  setBy: string;
  setByName: string | null;
  setAt: string;
  reason: string | null;
}

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
