import type { Page } from '../../platform/page.js';
import { auditQueryInvalid } from './audit.errors.js';
import type { AuditStore, AuditUnitOfWork } from './audit.ports.js';
import type {
  AuditEntry,
  AuditOutcome,
  AuditQuery,
  AuditScope,
  Checkpoint,
  VerifyReport,
} from './audit.types.js';
import type { AuditLog } from './audit-log.js';
import { checkpointLine, entryLine } from './export-format.js';

export interface AuditQueryServiceDeps {
  /** Stores on the root connection, for reads that need no transaction. */
  read: Pick<AuditStore, 'list' | 'scan' | 'head' | 'listCheckpoints'>;
  /** Opens a transaction to sign a checkpoint. */
  uow: AuditUnitOfWork;
  log: Pick<AuditLog, 'checkpoint' | 'verify' | 'vkey'>;
  /** Verifier keys of retired audit keys (oldest first). */
  retiredVkeys?: string[];
}

export interface AuditListInput {
  principal?: string;
  action?: string;
  resource?: string;
  outcome?: AuditOutcome;
  since?: string;
  until?: string;
  limit?: number;
  after?: number;
  order?: 'asc' | 'desc';
}

export type AuditQueryService = ReturnType<typeof createAuditQueryService>;

const SCAN_BATCH = 500;
// Export chunks: large enough to keep the response stream efficient, small enough to stay bounded.
const CHUNK_CHARS = 64 * 1024;

/** Reading the audit log: search, checkpoints, the public key, whole-chain verification, export. */
export function createAuditQueryService(deps: AuditQueryServiceDeps) {
  const { read, uow, log } = deps;
  const retired = deps.retiredVkeys ?? [];

  return {
    /**
     * A page of entries matching the filters, newest first unless `order` is "asc". A team-scoped caller
     * sees only the entries attributed to its teams: global entries and other teams' stay out.
     */
    async list(input: AuditListInput, scope: AuditScope): Promise<Page<AuditEntry>> {
      const query: AuditQuery = {
        ...(scope.unscoped ? {} : { teams: [...scope.teams] }),
        limit: input.limit ?? 50,
        order: input.order ?? 'desc',
        ...(input.principal !== undefined ? { principal: input.principal } : {}),
        ...(input.action !== undefined ? { action: input.action } : {}),
        ...(input.resource !== undefined ? { resource: input.resource } : {}),
        ...(input.outcome !== undefined ? { outcome: input.outcome } : {}),
        ...(input.since !== undefined ? { since: utc('since', input.since) } : {}),
        ...(input.until !== undefined ? { until: utc('until', input.until) } : {}),
        ...(input.after !== undefined ? { after: input.after } : {}),
      };
      if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > 500)
        throw auditQueryInvalid('limit', 'must be 1 to 500');
      return read.list(query);
    },

    /** Every signed checkpoint, smallest first. */
    checkpoints: (): Promise<Checkpoint[]> => read.listCheckpoints(),

    /** The verifier key of the current audit key, and those of retired keys. */
    pubkey: () => ({ vkey: log.vkey, retired }),

    /** Verifies the whole stored chain and every checkpoint. */
    async verify(): Promise<VerifyReport> {
      // Checkpoints, then the head, then the entries, then the head again. An entry and the head that
      // names it commit together, so each read sees at least what the one before it saw: appends made
      // while verifying cannot look like tampering, and a truncated log or a row slipped in past the head
      // cannot hide.
      // The schedule is checked only up to a head read before the checkpoints: every checkpoint due by
      // then committed with its entry, so it is in the list.
      const scheduled = await read.head();
      const checkpoints = await read.listCheckpoints();
      const before = await read.head();
      const report = await log.verify(read.scan(1, SCAN_BATCH), checkpoints, {
        ...(before ? { head: before } : {}),
        scheduleThrough: scheduled?.seq ?? 0,
      });
      const after = await read.head();
      if (!report.firstBad && after && report.head.seq > after.seq) {
        const seq = after.seq + 1;
        const message = `entry ${seq} lies past the log's recorded head (${after.seq}): it was not appended by Warden`;
        return { ...report, ok: false, firstBad: { seq, reason: 'head_mismatch', message } };
      }
      return report;
    },

    /**
     * The export as JSON Lines chunks. It first signs the current head, so the export always ends on a
     * signed checkpoint, and includes every checkpoint signed before it (a truncated log shows).
     */
    async *exportLines(): AsyncGenerator<string> {
      const earlier = await read.listCheckpoints();
      const latest = await uow.run((stores) => log.checkpoint(stores.audit));
      let chunk = '';
      for await (const entry of upTo(read.scan(1, SCAN_BATCH), latest.size)) {
        chunk += entryLine(entry);
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      for (const cp of earlier) if (cp.size !== latest.size) chunk += checkpointLine(cp);
      yield chunk + checkpointLine(latest);
    },
  };
}

async function* upTo(entries: AsyncIterable<AuditEntry>, lastSeq: number): AsyncGenerator<AuditEntry> {
  for await (const entry of entries) {
    if (entry.seq > lastSeq) return;
    yield entry;
  }
}

function utc(field: string, value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw auditQueryInvalid(field, 'is not an RFC 3339 date-time');
  return new Date(t).toISOString();
}
