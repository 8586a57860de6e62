import { type SchemaJson, schemaToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { actionUid, type CedarEntity, cedarNamespace, policyInvalid } from '../../modules/policy/index.js';
import { problemOf } from './policy-file.js';

export interface ActionInfo {
  /** Resource types without the namespace. */
  resourceTypes: string[];
  /** The action's entity, every group it is in (transitively) as a parent, so that
   * `action in Warden::Action::"read"` holds without handing Cedar the schema. */
  entity: CedarEntity;
}

/**
 * Parses the schema (once: the human syntax is slow to parse in wasm) and lists every requestable action
 * (groups apply to nothing and are left out).
 */
export function actionsOf(
  schemaText: string,
  schemaFile: string,
): { schema: SchemaJson<string>; actions: Map<string, ActionInfo> } {
  const answer = schemaToJson(schemaText);
  if (answer.type === 'failure')
    throw policyInvalid(answer.errors.map((e) => problemOf(schemaFile, schemaText, e)));
  const namespace = answer.json[cedarNamespace];
  if (namespace === undefined)
    throw policyInvalid([
      { file: schemaFile, message: `the schema declares no namespace ${cedarNamespace}` },
    ]);
  const declared = namespace.actions;
  const out = new Map<string, ActionInfo>();
  for (const [name, action] of Object.entries(declared)) {
    const resourceTypes = (action.appliesTo?.resourceTypes ?? []).map((t) =>
      t.replace(`${cedarNamespace}::`, ''),
    );
    if (resourceTypes.length === 0) continue;
    const groups = new Set<string>();
    const pending = (action.memberOf ?? []).map((m) => m.id);
    for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
      if (groups.has(group)) continue;
      groups.add(group);
      pending.push(...(declared[group]?.memberOf ?? []).map((m) => m.id));
    }
    out.set(name, {
      resourceTypes,
      entity: { uid: actionUid(name), attrs: {}, parents: [...groups].map(actionUid) },
    });
  }
  return { schema: answer.json, actions: out };
}
