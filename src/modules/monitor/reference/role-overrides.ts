import type { ColumnRole } from '../monitor.types.js';
import { referenceRolesInvalid } from './reference.errors.js';
import type { RoleOverrides } from './reference.ports.js';

export const columnRoles: readonly ColumnRole[] = [
  'feature',
  'prediction',
  'probability',
  'target',
  'ignored',
];

function pairs(text: string, what: string): [string, string][] {
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const eq = p.lastIndexOf('=');
      const key = p.slice(0, eq).trim();
      if (eq <= 0 || key === '') throw referenceRolesInvalid(`"${p}" is not column=${what}`);
      return [key, p.slice(eq + 1).trim()];
    });
}

/**
 * The caller's overrides as the API and CLI write them: `roles` = `col=role,…`, `sources` =
 * `col=tensor` or `col=tensor:index` (a feature's position in a [N, k] input), or `col=output:tensor[:index]`.
 */
export function parseRoleOverrides(roles?: string, sources?: string): RoleOverrides {
  const out: RoleOverrides = {};
  if (roles !== undefined) {
    out.roles = {};
    for (const [col, role] of pairs(roles, 'role')) {
      if (!columnRoles.includes(role as ColumnRole)) {
        throw referenceRolesInvalid(`"${role}" (for "${col}") is not one of ${columnRoles.join(', ')}`);
      }
      if (col in out.roles) throw referenceRolesInvalid(`"${col}" is given two roles`);
      out.roles[col] = role as ColumnRole;
    }
  }
  if (sources !== undefined) {
    out.sources = {};
    for (const [col, spec] of pairs(sources, 'tensor[:index]')) {
      const m = /^(?:(input|output):)?([^:]+)(?::(\d{1,6}))?$/.exec(spec);
      if (!m?.[2]) throw referenceRolesInvalid(`"${spec}" (for "${col}") is not tensor or tensor:index`);
      out.sources[col] = {
        side: (m[1] as 'input' | 'output' | undefined) ?? 'input',
        tensor: m[2],
        index: m[3] === undefined ? null : Number(m[3]),
      };
    }
  }
  return out;
}
