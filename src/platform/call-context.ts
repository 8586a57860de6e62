import type { Principal } from './principal.js';

/** Who is calling and from where: what a route hands a service for authorization and the audit log. */
export interface CallContext {
  principal: Principal;
  requestId: string | null;
  clientAddress: string | null;
}
