const requestTone: Record<string, 'ok' | 'warn' | 'bad'> = {
  pending: 'warn',
  approved: 'ok',
  applied: 'ok',
  rejected: 'bad',
  cancelled: 'bad',
  expired: 'bad',
  superseded: 'bad',
};

/** A request's state in words (the colour only repeats it). */
export function RequestStateBadge({ state }: { state: string }) {
  return <span className={`badge ${requestTone[state] ?? ''}`}>{state}</span>;
}

/** A gate's verdict: a mark and a word, never colour alone. */
export function VerdictBadge({ passed }: { passed: boolean }) {
  return <span className={`badge ${passed ? 'ok' : 'bad'}`}>{passed ? '✓ passed' : '✗ failed'}</span>;
}
