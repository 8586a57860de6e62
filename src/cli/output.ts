import type { Writable } from 'node:stream';

/** Where a command writes: results to stdout, progress and notes to stderr. */
export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean; columns?: number };
}

export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain, aligned text table; empty cells show as "-". */
export function printTable(io: Io, headers: string[], rows: (string | number | null | undefined)[][]): void {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  io.stdout.write(`${[line(headers), ...cells.map(line)].join('\n')}\n`);
}

/** "key: value" lines, aligned. */
export function printFields(io: Io, fields: [string, string | number | null | undefined][]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields)
    io.stdout.write(`${`${k}:`.padEnd(width + 2)}${v === null || v === undefined || v === '' ? '-' : v}\n`);
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

export const shortDigest = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);
