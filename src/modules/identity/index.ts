export type { CallContext } from '../../platform/call-context.js';
export { type Principal, type Role, roles } from '../../platform/principal.js';
export {
  generateApiToken,
  parseApiToken,
  tokenIdPattern,
  tokenPrefix,
} from './api-token.js';
export type { AuthFailureReason, AuthResult, JwtVerifier } from './auth-result.js';
export { type Authenticate, type AuthenticatorDeps, createAuthenticator } from './authenticator.js';
export {
  type BootstrapDeps,
  type BootstrapResult,
  bootstrapPrincipalId,
  ensureBootstrapAdmin,
  systemActor,
} from './bootstrap.js';
export * as identityErrors from './identity.errors.js';
export type { IdentityEvent, IdentityEventType } from './identity.events.js';
export type {
  IdentityStore,
  IdentityStores,
  IdentityUnitOfWork,
  PrincipalRecord,
  TokenRecord,
} from './identity.ports.js';
export {
  createIdentityService,
  type IdentityAction,
  type IdentityResource,
  type IdentityService,
  type IdentityServiceDeps,
  type IssueTokenInput,
  lastUsedResolutionMs,
} from './identity.service.js';
export type { IssuedToken, TokenView } from './identity.views.js';
export { identityAuditEvent } from './identity-audit.js';
export { defaultTokenLifetimeDays, maxTokenLifetimeDays, resolveTokenExpiry } from './token-expiry.js';
