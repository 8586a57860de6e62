import { systemActor } from '../../platform/call-context.js';
import type { Clock } from '../../platform/clock.js';
import { generateApiToken } from './api-token.js';
import type { IdentityEvent } from './identity.events.js';
import type { IdentityStores, IdentityUnitOfWork, TokenRecord } from './identity.ports.js';
import { tokenCreatedEvent, upsertServicePrincipal } from './identity.service.js';

export { systemActor };
export const bootstrapPrincipalId = 'service:admin';

export interface BootstrapDeps<S extends IdentityStores> {
  uow: IdentityUnitOfWork<S>;
  clock: Clock;
  /** Stores the token where only the operator can read it (0600, never over an existing file); returns where. */
  writeAdminToken(token: string): Promise<string>;
  /** Records on the bootstrap's transaction; no caller made the change (the access contract's `ctx` null). */
  recordEvent(stores: S, event: IdentityEvent): Promise<void>;
}

export type BootstrapResult =
  | { created: false }
  | { created: true; tokenId: string; token: string; file: string };

/**
 * First start on an empty database: creates the service account `service:admin` (role admin) and one token
 * for it, written to the admin-token file and returned so the server prints it once. Any later start finds
 * principals and does nothing: the token is never shown or written again. There is no default password.
 * The bootstrap token does not expire, so the operator cannot be locked out; revoke it once other admins exist.
 */
export async function ensureBootstrapAdmin<S extends IdentityStores>(
  deps: BootstrapDeps<S>,
): Promise<BootstrapResult> {
  const { uow, clock, writeAdminToken, recordEvent } = deps;
  try {
    return await uow.run(async (stores): Promise<BootstrapResult> => {
      if (!(await stores.identity.isEmpty())) return { created: false };
      const at = clock.now().toISOString();
      const grant = { roles: ['admin' as const], teams: [] };
      await upsertServicePrincipal(stores, recordEvent, {
        id: bootstrapPrincipalId,
        name: 'admin',
        ...grant,
        actor: systemActor,
        at,
      });
      const generated = generateApiToken();
      const record: TokenRecord = {
        id: generated.id,
        secretHash: generated.secretHash,
        name: 'admin',
        principalId: bootstrapPrincipalId,
        ...grant,
        createdBy: systemActor,
        createdAt: at,
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
        revokedBy: null,
      };
      await stores.identity.insertToken(record);
      await recordEvent(stores, tokenCreatedEvent(record, true));
      // Last, inside the transaction: if the file cannot be written, nothing above is kept.
      const file = await writeAdminToken(generated.token);
      return { created: true, tokenId: record.id, token: generated.token, file };
    });
  } catch (err) {
    // Another process bootstrapping the same database at the same moment wins; this one has nothing to do.
    if (!(await uow.run((stores) => stores.identity.isEmpty()))) return { created: false };
    throw err;
  }
}
