import type { ReportNumber } from './drift-report.types.js';

/** A count with thousands separators (the report is in English; the same everywhere, whatever the locale). */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** A share (0…1) as a percentage with one decimal. */
export const formatShare = (share: number): string => `${(share * 100).toFixed(1)}%`;

/**
 * A test's value or statistic: up to four decimals (trailing zeros dropped), scientific notation for the
 * very small and very large, ∞ for the infinite. Never locale-dependent.
 */
export function formatValue(value: ReportNumber): string {
  if (value === 'Infinity') return '∞';
  if (value === '-Infinity') return '−∞';
  if (value === 'NaN') return 'NaN';
  if (value === 0) return '0';
  const size = Math.abs(value);
  if (size < 1e-4 || size >= 1e6) return value.toExponential(2).replace(/-/g, '−');
  return value
    .toFixed(4)
    .replace(/\.?0+$/, '')
    .replace(/-/g, '−');
}

/** A bin edge: at most four significant decimals, no exponent for ordinary data. */
export const formatEdge = (edge: number): string => formatValue(Number(edge.toPrecision(4)));
