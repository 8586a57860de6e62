import type { CallContext } from '../../platform/call-context.js';
import type { Page } from '../../platform/page.js';
import type { AuditEntry, AuditScope, Checkpoint, VerifyReport } from './audit.types.js';
import type { AuditListInput, AuditQueryService } from './audit-query.service.js';

/** The actions reading the audit log; each is decided on the log itself. */
export type AuditAction = 'audit:log:read' | 'audit:log:verify' | 'audit:log:export' | 'audit:key:read';

/**
 * The guard the audit service asks (the policy module's, which records every denial). Audit sits below
 * policy in the module tree, so it owns this port and policy's `AccessGuard` implements it.
 */
export interface AuditGuard {
  require(context: CallContext, action: AuditAction, resource: { type: 'AuditLog' }): Promise<void>;
}

export interface AuditServiceDeps {
  queries: AuditQueryService;
  guard: AuditGuard;
}

export type AuditService = ReturnType<typeof createAuditService>;

const auditLog = { type: 'AuditLog' } as const;

/** The caller's view of the log: every entry for an unscoped principal, its teams' entries otherwise. */
export const scopeOf = ({ principal }: CallContext): AuditScope =>
  principal.unscoped ? { unscoped: true } : { unscoped: false, teams: [...principal.teams] };

/**
 * Reading the audit log as a caller: each call is authorized here, against the log, before it reads a row,
 * and a search is narrowed to the caller's scope; the transport only hands over who is calling.
 */
export function createAuditService(deps: AuditServiceDeps) {
  const { queries, guard } = deps;
  return {
    async list(ctx: CallContext, input: AuditListInput): Promise<Page<AuditEntry>> {
      await guard.require(ctx, 'audit:log:read', auditLog);
      return queries.list(input, scopeOf(ctx));
    },

    async checkpoints(ctx: CallContext): Promise<Checkpoint[]> {
      await guard.require(ctx, 'audit:log:read', auditLog);
      return queries.checkpoints();
    },

    async pubkey(ctx: CallContext) {
      await guard.require(ctx, 'audit:key:read', auditLog);
      return queries.pubkey();
    },

    async verify(ctx: CallContext): Promise<VerifyReport> {
      await guard.require(ctx, 'audit:log:verify', auditLog);
      return queries.verify();
    },

    /** The export's chunks, once the caller may export (decided before the first checkpoint is signed). */
    async exportLines(ctx: CallContext): Promise<AsyncGenerator<string>> {
      await guard.require(ctx, 'audit:log:export', auditLog);
      return queries.exportLines();
    },
  };
}
