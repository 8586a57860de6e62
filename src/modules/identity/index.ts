export { type AuditActor, auditActor, auditTeamOf, type CallContext } from '../../platform/call-context.js';
export {
  type Credential,
  oidcPrincipalId,
  type Principal,
  type Role,
  roles,
  tokenPrincipalId,
} from '../../platform/principal.js';
export {
  generateApiToken,
  parseApiToken,
  tokenIdPattern,
  tokenPrefix,
} from './api-token.js';
export type { AuthFailureLimiter } from './auth-failure.ports.js';
export {
  type AuthFailureLog,
  type AuthFailureLogDeps,
  type AuthRefusal,
  createAuthFailureLog,
} from './auth-failure-log.js';
export type { AuthFailureReason, AuthResult, JwtVerifier } from './auth-result.js';
export { type Authenticate, type AuthenticatorDeps, createAuthenticator } from './authenticator.js';
export {
  type BootstrapDeps,
  type BootstrapResult,
  bootstrapPrincipalId,
  ensureBootstrapAdmin,
  systemActor,
} from './bootstrap.js';
export { clientAddressKey } from './client-address-key.js';
export type {
  ConsoleSessionRecord,
  ConsoleSessionStore,
  ConsoleSessionStores,
  ConsoleSessionUnitOfWork,
  PendingLoginRecord,
  SessionEndReason,
  SessionOrigin,
} from './console-session.ports.js';
export {
  type ConsoleSessionService,
  type ConsoleSessionServiceDeps,
  type ConsoleSessionSettings,
  createConsoleSessionService,
  csrfTokenMatches,
  type RequestOrigin,
  type SessionAuthResult,
  type SessionView,
  type StartedSession,
} from './console-session.service.js';
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
  type IdentityAccess,
  type IdentityAction,
  type IdentityService,
  type IdentityServiceDeps,
  type IssueTokenInput,
  lastUsedResolutionMs,
  liveTokenPrincipal,
  tokenPrincipal,
} from './identity.service.js';
export type { IssuedToken, TokenView } from './identity.views.js';
export { describeIdentityEvent } from './identity-audit.js';
export {
  createOidcSignIn,
  type LoginChecks,
  type OidcLoginClient,
  type OidcSignIn,
  type OidcSignInDeps,
  type SignInErrorCode,
  type SignInResult,
  signInErrorCodes,
} from './oidc-sign-in.service.js';
export { safeReturnTo } from './return-to.js';
export { defaultTokenLifetimeDays, maxTokenLifetimeDays, resolveTokenExpiry } from './token-expiry.js';
export { createTokenPermissions, type TokenPermissionDeps, type TokenTarget } from './token-permissions.js';
