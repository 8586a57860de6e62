/** What the gateway records: loading a deployed version succeeded, or was refused (it is not served). */
export type GatewayEvent = LoadEvent | GuardEvent;

export type LoadEvent =
  | {
      type: 'gateway.loaded';
      environment: string;
      model: string;
      owner: string;
      version: number;
      digest: string;
      slot: 'stable' | 'candidate';
      loadMs: number;
    }
  | {
      type: 'gateway.load_failed';
      environment: string;
      model: string;
      owner: string;
      version: number;
      digest: string;
      slot: 'stable' | 'candidate';
      /** Which check refused it: signature, integrity, format, runtime, unavailable. */
      check: LoadCheck;
      reason: string;
    };

export type LoadCheck = 'signature' | 'integrity' | 'format' | 'runtime' | 'unavailable';

/** What a policy change records of the guards: which are on, before and after. */
export type GuardStates = Record<
  'rateLimit' | 'screening' | 'redaction' | 'coarsening' | 'extraction',
  boolean
>;

/**
 * What the gateway records beside loads: an extraction alert (once per escalation of a principal on a
 * deployment), and each change of a deployment's guard policy.
 */
export type GuardEvent =
  | {
      type: 'gateway.extraction_alert';
      environment: string;
      model: string;
      owner: string;
      /** The principal whose queries raised it. */
      principal: string;
      from: string;
      to: string;
      stage: number;
      rateFactor: number;
      signals: readonly string[];
      reason: string;
    }
  | {
      type: 'gateway.policy_set' | 'gateway.policy_reset';
      environment: string;
      model: string;
      owner: string;
      revision: number;
      /** The fields the new policy sets (empty after a reset). */
      overridden: string[];
      before: GuardStates;
      after: GuardStates;
      /** What the change weakens (a guard off, screening in monitor mode). */
      weakens: string[];
      reason: string | null;
    };

export type GatewayEventType = GatewayEvent['type'];
