import { ConfigSchema, configDefaults, envKeys, MiB } from './config.schema.js';

/** One setting as an operator meets it: its key, variable, default and what it does. */
export interface SettingReference {
  /** Dotted path in the config file, e.g. `oidc.issuer`. */
  key: string;
  /** The WARDEN_* variable that sets it; null when only the config file can. */
  env: string | null;
  /** The default, as one would write it (sizes with units); `none` when unset. */
  defaultValue: string;
  description: string;
  /** Must be given once its optional group is (e.g. `oidc.issuer` once any `oidc` setting is). */
  requiredInGroup: boolean;
  /** On the first setting of a group that has a description (`oidc`), that description. */
  groupNote: string | null;
}

interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  anyOf?: SchemaNode[];
}

/**
 * Every leaf setting of the config schema, in schema order. Generated rather than written down, so the
 * help and docs cannot miss a setting that the schema gains.
 */
export function configReference(): SettingReference[] {
  const envOf = new Map<string, string>(Object.entries(envKeys).map(([name, key]) => [key, name]));
  const out: SettingReference[] = [];
  const walk = (node: SchemaNode, prefix: string, groupNote: string | null, optionalGroup: boolean) => {
    const required = new Set(node.required ?? []);
    let note = groupNote;
    for (const [name, raw] of Object.entries(node.properties ?? {})) {
      const key = prefix ? `${prefix}.${name}` : name;
      const group = objectOf(raw);
      if (group) {
        walk(group, key, raw.description ?? group.description ?? null, group !== raw);
        continue;
      }
      out.push({
        key,
        env: envOf.get(key) ?? null,
        defaultValue: formatDefault(valueAt(configDefaults, key)),
        description: raw.description ?? '',
        requiredInGroup: optionalGroup && required.has(name),
        groupNote: note,
      });
      note = null;
    }
  };
  walk(ConfigSchema as SchemaNode, '', null, false);
  return out;
}

/** The object a node describes: itself, or the object member of a nullable union (`oidc`). */
function objectOf(node: SchemaNode): SchemaNode | null {
  if (node.type === 'object' && node.properties) return node;
  return node.anyOf?.find((member) => member.type === 'object' && member.properties) ?? null;
}

function valueAt(root: unknown, key: string): unknown {
  let node = root;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function formatDefault(value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  if (typeof value === 'object') return Object.keys(value).join(',') || 'none';
  if (typeof value === 'number' && value >= MiB && value % MiB === 0) {
    const units = ['MiB', 'GiB', 'TiB'];
    let n = value / MiB;
    let unit = 0;
    while (n % 1024 === 0 && unit < units.length - 1) {
      n /= 1024;
      unit += 1;
    }
    return `${n}${units[unit]}`;
  }
  return String(value);
}
