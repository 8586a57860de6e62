import { describe, expect, it } from 'vitest';
import {
  type AlertRule,
  freshState,
  type RuleState,
  step,
  type Transition,
} from '../../src/modules/monitor/index.js';

const rule = (o: Partial<AlertRule> = {}): AlertRule => ({
  enabled: true,
  severity: 'critical',
  forWindows: 3,
  resolveAfter: 2,
  ...o,
});

/** Feeds breaches (1) and clean readings (0) through the state machine; the transitions in order. */
function run(
  pattern: string,
  r: AlertRule,
  start: RuleState = freshState('production', 'iris', 'confidence'),
) {
  let state = start;
  const transitions: Transition[] = [];
  let n = 0;
  for (const c of pattern) {
    const next = step(state, c === '1', r, `alert-${++n}`);
    state = next.state;
    transitions.push(next.transition);
  }
  return { state, transitions };
}

describe('alert state machine', () => {
  it('fires after forWindows consecutive breaches, not before, and an interruption starts over', () => {
    expect(run('11', rule()).transitions).toEqual([null, null]);
    expect(run('110111', rule()).transitions).toEqual([null, null, null, null, null, 'fire']);
    const { state } = run('111', rule());
    expect(state).toMatchObject({ breaches: 3, openAlert: 'alert-3' });
  });

  it('keeps one alert while breaches go on (deduplicated: each only updates it)', () => {
    const { transitions, state } = run('111111', rule());
    expect(transitions).toEqual([null, null, 'fire', 'update', 'update', 'update']);
    expect(state.openAlert).toBe('alert-3');
  });

  it('resolves after resolveAfter consecutive clean windows; a breach in between keeps it firing', () => {
    expect(run('111001', rule()).transitions).toEqual([null, null, 'fire', null, 'resolve', null]);
    const flapping = run('1110101010', rule());
    expect(flapping.transitions.filter((t) => t === 'fire')).toEqual(['fire']);
    expect(flapping.transitions).not.toContain('resolve');
    expect(flapping.state.openAlert).toBe('alert-3');
  });

  it('fires on the first breach with forWindows 1 and resolves on the first clean window with resolveAfter 1', () => {
    expect(run('1010', rule({ forWindows: 1, resolveAfter: 1 })).transitions).toEqual([
      'fire',
      'resolve',
      'fire',
      'resolve',
    ]);
  });

  it('counts readings of a disabled rule as clean, so it never fires and its open alert resolves', () => {
    expect(run('11111', rule({ enabled: false })).transitions).toEqual([null, null, null, null, null]);
    const open = run('111', rule()).state;
    expect(run('11', rule({ enabled: false }), open).transitions).toEqual([null, 'resolve']);
  });

  it('goes on from a stored state (a restart neither re-fires nor forgets)', () => {
    const half = run('11', rule()).state;
    expect(run('1', rule(), half).transitions).toEqual(['fire']);
    const firing = run('111', rule()).state;
    expect(run('1', rule(), firing).transitions).toEqual(['update']);
  });
});
