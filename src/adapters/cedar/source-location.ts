/**
 * The 1-based line and column of an offset into `text`. Cedar's source locations count UTF-8 bytes;
 * JavaScript's indexOf counts UTF-16 code units.
 */
export function locate(
  text: string,
  offset: number,
  unit: 'bytes' | 'chars',
): { line: number; column: number } {
  const before =
    unit === 'bytes' ? Buffer.from(text, 'utf8').subarray(0, offset).toString('utf8') : text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: [...(lines[lines.length - 1] ?? '')].length + 1 };
}
