/** A status word in a badge: the word itself carries the meaning, the colour only repeats it. */
export function StatusBadge({ text, tone }: { text: string; tone: 'ok' | 'bad' | 'warn' | 'none' }) {
  return <span className={tone === 'none' ? 'badge' : `badge ${tone}`}>{text}</span>;
}

const severityTone: Record<string, 'ok' | 'bad' | 'warn' | 'none'> = {
  none: 'ok',
  low: 'none',
  medium: 'warn',
  high: 'bad',
  critical: 'bad',
};

export function SeverityBadge({ severity }: { severity: string }) {
  return <StatusBadge text={severity} tone={severityTone[severity] ?? 'none'} />;
}
