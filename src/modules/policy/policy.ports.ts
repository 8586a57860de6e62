import type { Principal } from '../../platform/principal.js';

/** The attributes of a model that policies see. */
export interface ModelAttributes {
  name: string;
  /** The owning team (or person); team-scoped principals only reach their teams' models. */
  owner: string;
  tags: readonly string[];
}

export interface VersionAttributes {
  number: number;
  format: string;
  /** The version's root digest (hex sha256, with or without the `sha256:` prefix). */
  digest: string;
}

/** What an action is performed on, with the attributes Warden holds for it. */
export type ResourceRef =
  | { type: 'Registry' }
  | { type: 'Model'; model: ModelAttributes }
  | { type: 'Version'; model: ModelAttributes; version: VersionAttributes }
  | { type: 'Alias'; model: ModelAttributes; alias: string }
  /** An existing token (`id`), or one being issued (no id; `roles` and `teams` are what it would grant). */
  | { type: 'Token'; id?: string; principal: string; roles?: readonly string[]; teams?: readonly string[] }
  | { type: 'AuditLog' }
  /** One model's deployments in one environment. */
  | { type: 'Deployment'; model: ModelAttributes; environment: string };

export interface AuthzRequest {
  principal: Principal;
  action: string;
  resource: ResourceRef;
}

export interface AuthzDecision {
  allowed: boolean;
  /** Ids of the policies that determined the decision: the permits that allowed it, or the forbids that
   * denied it. Empty for a default deny (no policy permits the request). */
  policies: string[];
  /** Why the request could not be evaluated cleanly (unknown action, a policy that failed); any error
   * denies. */
  errors: string[];
}

/** Decides one request against policies parsed once at start-up. Never throws for a bad request: it denies. */
export interface PolicyEngine {
  authorize(request: AuthzRequest): AuthzDecision;
}
