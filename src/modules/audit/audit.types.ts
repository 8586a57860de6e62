/** How an audited attempt ended. */
export const auditOutcomes = ['success', 'denied', 'failed'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/** Extra facts about an event: flat, JSON-exact values only, and never a secret or token. */
export type AuditDetails = Record<string, string | number | boolean | null>;

/**
 * The credential a request proved itself with: an API token's id, or an OIDC JWT's issuer, subject, jti;
 * `sessionId` when the request came on a console session started with that credential.
 */
export type AuditCredential =
  | { kind: 'token'; tokenId: string; sessionId?: string }
  | { kind: 'oidc'; issuer: string; subject: string; jti: string | null; sessionId?: string };

/** What a module reports: who did what to which resource, and how it ended. */
export interface AuditEvent {
  /** The authorization action, e.g. "registry:version:push" or "identity:token:authenticate". */
  action: string;
  outcome: AuditOutcome;
  /**
   * The kind-qualified principal id ("token:<id>", "oidc:<issuer>#<subject>", "service:<id>", "system");
   * null when the caller could not be identified.
   */
  principal: string | null;
  /** The principal's display name, never used to identify it. Absent in entries older than it. */
  actorName?: string | null;
  /** The credential used. Absent for actions no request made (start-up) and in older entries. */
  credential?: AuditCredential | null;
  /**
   * The team owning what the entry is about (a model's owner, a single-team token's team); absent for
   * global objects (signers, unscoped tokens, the log itself) and in older entries. Team-scoped
   * administrators see only entries of their teams.
   */
  team?: string | null;
  /** What was acted on, e.g. "model:iris@3"; null when the action has no single resource. */
  resource: string | null;
  requestId: string | null;
  clientAddress: string | null;
  details?: AuditDetails;
}

/** Who is asking and from where: what a route hands a service so its events can name the caller. */
export type AuditContext = Pick<
  AuditEvent,
  'principal' | 'requestId' | 'clientAddress' | 'actorName' | 'credential'
>;

/** One link of the chain, as stored and exported. `hash` covers every other field. */
export interface AuditEntry extends AuditEvent {
  /** 1, 2, 3… with no gaps. */
  seq: number;
  /** UUIDv7. */
  id: string;
  /** ISO-8601 UTC, millisecond precision. */
  at: string;
  /** The previous entry's hash (hex); 64 zeros for seq 1. */
  prevHash: string;
  /** hex SHA-256 over `prevHash + "\n" + JCS(entry without hash)`. */
  hash: string;
}

/** The chain's newest entry: its seq and hash (seq 0 with the genesis hash for an empty log). */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** A signed statement "the log had `size` entries and its head hash was `hash`". */
export interface Checkpoint {
  size: number;
  hash: string;
  /** The full C2SP signed note: the tlog checkpoint body, a blank line, the signature line(s). */
  note: string;
  /** When it was signed (not covered by the signature). */
  at: string;
}

/** Whose view of the log a query is: everything, or only the entries of some teams. */
export type AuditScope = { unscoped: true } | { unscoped: false; teams: readonly string[] };

export interface AuditQuery {
  /** Entries of these teams only (team-scoped administrators); absent: every entry. */
  teams?: readonly string[];
  principal?: string;
  action?: string;
  resource?: string;
  /** Inclusive lower bound, ISO-8601 UTC. */
  since?: string;
  /** Exclusive upper bound, ISO-8601 UTC. */
  until?: string;
  limit: number;
  /** A seq: continue after it in the page order. */
  after?: number;
  order: 'asc' | 'desc';
}

export const chainProblems = [
  'seq_gap',
  'seq_order',
  'prev_hash_mismatch',
  'hash_mismatch',
  'truncated',
  'head_mismatch',
] as const;
export type ChainProblem = (typeof chainProblems)[number];

export const checkpointReasons = [
  'malformed',
  'wrong_origin',
  'unknown_key',
  'bad_signature',
  'hash_mismatch',
  'log_shorter_than_checkpoint',
  'head_not_signed',
  'checkpoint_missing',
  'tail_unsigned',
] as const;
export type CheckpointReason = (typeof checkpointReasons)[number];

/** The outcome of checking a whole chain and its checkpoints; says where it first went wrong. */
export interface VerifyReport {
  ok: boolean;
  /** Entries read. */
  entries: number;
  /** Checkpoints checked. */
  checkpoints: number;
  /** The newest entry read (seq 0 for an empty log). */
  head: AuditHead;
  /** The first entry that is wrong or missing, with why; null when the chain holds. */
  firstBad: { seq: number; reason: ChainProblem; message: string } | null;
  checkpointProblems: { size: number; reason: CheckpointReason; message: string }[];
}
