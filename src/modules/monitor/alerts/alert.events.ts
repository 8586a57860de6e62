import type { AlertRecord } from './alert.ports.js';

/** Every change the alert part makes, typed; `describeMonitorEvent` is the one place they are worded. */
export type MonitorEvent =
  | { type: 'monitor.alert_fired' | 'monitor.alert_resolved'; alert: AlertRecord; owner: string }
  | {
      type: 'monitor.policy_set' | 'monitor.policy_reset';
      environment: string;
      model: string;
      owner: string;
      revision: number;
      reason: string | null;
    };
