import type { Principal } from '../../platform/principal.js';
import type { ResourceType } from './actions.js';
import type { AuthzRequest, ModelAttributes, ResourceRef } from './policy.ports.js';

/** The namespace of Warden's Cedar schema. */
export const cedarNamespace = 'Warden';

export interface CedarUid {
  type: string;
  id: string;
}
export type CedarValue =
  | string
  | number
  | boolean
  | CedarValue[]
  | { __entity: CedarUid }
  | { [attribute: string]: CedarValue };
export interface CedarEntity {
  uid: CedarUid;
  attrs: Record<string, CedarValue>;
  parents: CedarUid[];
}

/** One authorization request in Cedar's JSON terms: the uids, and every entity the policies may read. */
export interface CedarRequest {
  principal: CedarUid;
  action: CedarUid;
  resource: CedarUid;
  entities: CedarEntity[];
}

const uid = (type: ResourceType | 'Principal' | 'Action', id: string): CedarUid => ({
  type: `${cedarNamespace}::${type}`,
  id,
});

/** The one registry every model belongs to. It has no attributes, so it is only ever named as a parent. */
export const registryUid = uid('Registry', 'warden');
const auditLogUid = uid('AuditLog', 'audit');

export const actionUid = (action: string): CedarUid => uid('Action', action);
export const principalUid = (principal: Pick<Principal, 'id'>): CedarUid => uid('Principal', principal.id);

export function principalEntity(principal: Principal): CedarEntity {
  return {
    uid: principalUid(principal),
    attrs: {
      kind: principal.kind,
      roles: [...principal.roles],
      teams: [...principal.teams],
      unscoped: principal.unscoped,
    },
    parents: [],
  };
}

export const modelUid = (model: Pick<ModelAttributes, 'name'>): CedarUid => uid('Model', model.name);

const modelAttrs = (model: ModelAttributes) => ({
  name: model.name,
  owner: model.owner,
  tags: [...model.tags],
});

export function modelEntity(model: ModelAttributes): CedarEntity {
  return { uid: modelUid(model), attrs: modelAttrs(model), parents: [registryUid] };
}

/**
 * The resource's uid and the entities that describe it. The resource entity is always present, so a rule
 * such as team-scope can never be skipped for want of the attributes it tests. A version or an alias
 * carries its model's attributes as a record (`resource.model.tags`) and names the model as its parent
 * (`resource in Warden::Model::"iris"`): one entity per resource keeps a decision cheap.
 */
export function resourceEntities(resource: ResourceRef): { uid: CedarUid; entities: CedarEntity[] } {
  switch (resource.type) {
    case 'Registry':
      return { uid: registryUid, entities: [] };
    case 'AuditLog':
      return { uid: auditLogUid, entities: [{ uid: auditLogUid, attrs: {}, parents: [registryUid] }] };
    case 'Model': {
      const model = modelEntity(resource.model);
      return { uid: model.uid, entities: [model] };
    }
    case 'Version': {
      const { model } = resource;
      const { number, format } = resource.version;
      const digest = resource.version.digest.replace(/^sha256:/, '');
      const version: CedarEntity = {
        uid: uid('Version', `${model.name}@${number}`),
        attrs: { model: modelAttrs(model), owner: model.owner, number, format, digest },
        parents: [modelUid(model)],
      };
      return { uid: version.uid, entities: [version] };
    }
    case 'Alias': {
      const { model } = resource;
      const alias: CedarEntity = {
        uid: uid('Alias', `${model.name}@${resource.alias}`),
        attrs: { model: modelAttrs(model), owner: model.owner, name: resource.alias },
        parents: [modelUid(model)],
      };
      return { uid: alias.uid, entities: [alias] };
    }
    case 'Deployment': {
      const { model, environment } = resource;
      const deployment: CedarEntity = {
        uid: uid('Deployment', `${environment}/${model.name}`),
        attrs: { model: modelAttrs(model), owner: model.owner, environment },
        parents: [modelUid(model)],
      };
      return { uid: deployment.uid, entities: [deployment] };
    }
    case 'Token': {
      const { id, principal, roles, teams } = resource;
      const token: CedarEntity = {
        // A token being issued has no id yet; its uid only has to differ from every real token's.
        uid: uid('Token', id ?? `(new token for ${principal})`),
        attrs: {
          principal: { __entity: uid('Principal', principal) },
          ...(roles ? { roles: [...roles] } : {}),
          ...(teams ? { teams: [...teams] } : {}),
        },
        parents: [registryUid],
      };
      return { uid: token.uid, entities: [token] };
    }
  }
}

/** Turns a request into Cedar's JSON: the principal, the action and the resource with its entities. */
export function cedarRequest(request: AuthzRequest): CedarRequest {
  const resource = resourceEntities(request.resource);
  const principal = principalEntity(request.principal);
  return {
    principal: principal.uid,
    action: actionUid(request.action),
    resource: resource.uid,
    entities: [principal, ...resource.entities],
  };
}
