import { vulnReportInvalid } from '../attestation.errors.js';
import type { VulnReportFormat } from '../attestation.types.js';

/**
 * Reading a tool's JSON defensively: every accessor names the JSON path it read, so a report of the wrong
 * shape is refused with `vuln_report_invalid` pointing at the first value that is not what the format
 * promises, never with a TypeError.
 */
export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$.a.b[3]["odd key"]`; a key from the document is cut to 64 characters so the error stays small. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (identifier.test(key) && key.length <= 64) return `${path}.${key}`;
  const shown = key.length > 64 ? `${key.slice(0, 64)}…` : key;
  return `${path}[${JSON.stringify(shown)}]`;
}

const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
};

/** The accessors of one format: each throws `vuln_report_invalid` naming the format and the path. */
export function shapeOf(format: VulnReportFormat) {
  const fail = (path: string, problem: string): never => {
    throw vulnReportInvalid(format, path, problem);
  };
  const expect = (what: string, value: unknown, path: string): never =>
    fail(
      path,
      value === undefined ? `is missing (must be ${what})` : `must be ${what}, not ${kindOf(value)}`,
    );
  return {
    fail,
    object(value: unknown, path: string): JsonObject {
      return isObject(value) ? value : expect('an object', value, path);
    },
    /** An array; absent or null reads as empty where the tool leaves empty lists out (`optional`). */
    array(value: unknown, path: string, options: { optional?: boolean } = {}): unknown[] {
      if (Array.isArray(value)) return value;
      if (options.optional && (value === undefined || value === null)) return [];
      return expect('an array', value, path);
    },
    string(value: unknown, path: string): string {
      return typeof value === 'string' ? value : expect('a string', value, path);
    },
    optionalString(value: unknown, path: string): string | null {
      if (value === undefined || value === null) return null;
      return typeof value === 'string' ? value : expect('a string', value, path);
    },
    /** One of `allowed` (compared case-insensitively when asked), returned as found in `allowed`. */
    oneOf<T extends string>(
      value: unknown,
      path: string,
      allowed: readonly T[],
      options: { ignoreCase?: boolean } = {},
    ): T {
      const text = typeof value === 'string' ? value : expect('a string', value, path);
      const found = allowed.find((a) =>
        options.ignoreCase ? a.toLowerCase() === text.toLowerCase() : a === text,
      );
      if (found !== undefined) return found;
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      return fail(path, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(shown)}`);
    },
  };
}

export type Shape = ReturnType<typeof shapeOf>;
