import type { AlertRule } from './monitor-policy.js';

/** One rule's memory for one deployment: breaches and clean readings in a row, and its open alert. */
export interface RuleState {
  environment: string;
  model: string;
  /** The reading's detector: `confidence`, `column_drift:petal_length`… */
  rule: string;
  breaches: number;
  clean: number;
  /** The firing alert's id; null when none is open. */
  openAlert: string | null;
}

/** What a reading does to a rule's alert: opens one, refreshes the open one's value, or resolves it. */
export type Transition = 'fire' | 'update' | 'resolve' | null;

export const freshState = (environment: string, model: string, rule: string): RuleState => ({
  environment,
  model,
  rule,
  breaches: 0,
  clean: 0,
  openAlert: null,
});

/**
 * The alert state machine: a rule fires after `forWindows` consecutive breaches, stays one alert
 * (deduplicated: each further breach only updates its value) until `resolveAfter` consecutive clean
 * readings, then resolves. A disabled rule counts every reading as clean, so its open alert resolves.
 * Pure: the caller stores the state and gives the opened alert's id (`openAlert` is set to `newAlertId`).
 */
export function step(
  state: RuleState,
  breached: boolean,
  rule: AlertRule,
  newAlertId: string,
): { state: RuleState; transition: Transition } {
  const hit = breached && rule.enabled;
  if (hit) {
    const breaches = state.breaches + 1;
    if (state.openAlert) return { state: { ...state, breaches, clean: 0 }, transition: 'update' };
    if (breaches >= rule.forWindows)
      return { state: { ...state, breaches, clean: 0, openAlert: newAlertId }, transition: 'fire' };
    return { state: { ...state, breaches, clean: 0 }, transition: null };
  }
  if (!state.openAlert) return { state: { ...state, breaches: 0, clean: 0 }, transition: null };
  const clean = state.clean + 1;
  if (clean >= rule.resolveAfter)
    return { state: { ...state, breaches: 0, clean: 0, openAlert: null }, transition: 'resolve' };
  return { state: { ...state, breaches: 0, clean }, transition: null };
}
