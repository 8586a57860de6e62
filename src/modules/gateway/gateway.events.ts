/** What the gateway records: loading a deployed version succeeded, or was refused (it is not served). */
export type GatewayEvent =
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

export type GatewayEventType = GatewayEvent['type'];
