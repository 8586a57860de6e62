/** A metric as a table shows it: up to 4 significant digits, exact value kept for the title. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined) return '—';
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(4)).toString();
}
