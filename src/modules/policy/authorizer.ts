import type { Principal } from '../../platform/principal.js';
import type { PolicyAction } from './actions.js';
import { forbidden } from './policy.errors.js';
import type { AuthzDecision, PolicyEngine, ResourceRef } from './policy.ports.js';

export interface DeniedInfo {
  principal: Principal;
  action: string;
  resource: ResourceRef;
  decision: AuthzDecision;
}

export interface AuthorizerDeps {
  engine: Pick<PolicyEngine, 'authorize'>;
  /**
   * Awaited for every refusal `require` makes, before it throws: where denials reach the audit log. If it
   * fails, its error is thrown instead (the request is refused either way).
   */
  onDenied?: (info: DeniedInfo) => void | Promise<void>;
}

export interface Authorizer {
  /** The decision and the policies that determined it; never throws (use it to filter lists). */
  authorize(principal: Principal, action: PolicyAction, resource: ResourceRef): AuthzDecision;
  /** Resolves with the decision when allowed; otherwise reports it to `onDenied` and throws `forbidden`. */
  require(principal: Principal, action: PolicyAction, resource: ResourceRef): Promise<AuthzDecision>;
}

/** What services call to authorize against the real resource and its attributes. */
export function createAuthorizer({ engine, onDenied }: AuthorizerDeps): Authorizer {
  const authorize = (principal: Principal, action: PolicyAction, resource: ResourceRef) =>
    engine.authorize({ principal, action, resource });
  return {
    authorize,
    async require(principal, action, resource) {
      const decision = authorize(principal, action, resource);
      if (decision.allowed) return decision;
      await onDenied?.({ principal, action, resource, decision });
      throw forbidden();
    },
  };
}
