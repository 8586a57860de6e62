import { CanonicalJsonError, canonicalJson } from '../../platform/canonical-json.js';
import type { Clock } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import { auditEventInvalid } from './audit.errors.js';
import type { AuditStore } from './audit.ports.js';
import {
  type AuditCredential,
  type AuditEntry,
  type AuditEvent,
  type AuditHead,
  auditOutcomes,
  type Checkpoint,
} from './audit.types.js';
import { checkpointText } from './checkpoint-note.js';
import { entryHash, genesisHash } from './entry-hash.js';
import { type NoteSigner, parseVerifierKey, signNote } from './signed-note.js';
import { type VerifyChainOptions, verifyChain } from './verify-chain.js';

export interface AuditLogDeps {
  clock: Clock;
  signer: NoteSigner;
  /** Verifier keys of retired audit keys, so checkpoints they signed still verify. */
  retiredVkeys?: string[];
  /** The log's name in its checkpoints, e.g. "warden/audit". */
  origin: string;
  /** Sign a checkpoint every this many entries. */
  checkpointEvery: number;
}

export type AuditLog = ReturnType<typeof createAuditLog>;

// Details keys that could only hold a credential; such values must never reach the chain.
const SECRET_KEY = /(secret|password|passphrase|authorization|cookie|credential|privatekey|token)$/i;

/** The audit chain's rules: append inside the caller's transaction, checkpoint, verify. */
export function createAuditLog(deps: AuditLogDeps) {
  const { clock, signer, origin, checkpointEvery } = deps;
  if (!Number.isSafeInteger(checkpointEvery) || checkpointEvery < 1)
    throw new TypeError('checkpointEvery must be a positive integer');
  checkpointText(origin, { seq: 0, hash: genesisHash });
  const verifiers = [signer.vkey, ...(deps.retiredVkeys ?? [])].map(parseVerifierKey);

  const sign = (head: AuditHead): Checkpoint => ({
    size: head.seq,
    hash: head.hash,
    note: signNote(checkpointText(origin, head, checkpointEvery), signer),
    at: clock.now().toISOString(),
  });

  return {
    origin,
    vkey: signer.vkey,
    checkpointEvery,

    /**
     * Appends one entry on the caller's transaction: the change and its record commit together or not at
     * all. Throws audit_event_invalid for an event that cannot be recorded exactly.
     */
    async append(store: AuditStore, event: AuditEvent): Promise<AuditEntry> {
      const fields = eventFields(event);
      const head = (await store.lockHead()) ?? { seq: 0, hash: genesisHash };
      const unhashed: Omit<AuditEntry, 'hash'> = {
        seq: head.seq + 1,
        id: newId(),
        at: clock.now().toISOString(),
        ...fields,
        prevHash: head.hash,
      };
      const entry: AuditEntry = { ...unhashed, hash: entryHash(unhashed) };
      await store.insert(entry);
      await store.setHead({ seq: entry.seq, hash: entry.hash });
      if (entry.seq % checkpointEvery === 0) await store.insertCheckpoint(sign(entry));
      return entry;
    },

    /** Signs the current head now (or returns the checkpoint that already signed it). */
    async checkpoint(store: AuditStore): Promise<Checkpoint> {
      const head = (await store.lockHead()) ?? { seq: 0, hash: genesisHash };
      const latest = await store.latestCheckpoint();
      if (latest && latest.size === head.seq) return latest;
      const cp = sign(head);
      await store.insertCheckpoint(cp);
      return cp;
    },

    /** Checks a chain and its checkpoints against this log's keys and origin. */
    verify(
      source: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
      checkpoints: Checkpoint[],
      options: Pick<VerifyChainOptions, 'head' | 'scheduleThrough'> = {},
    ) {
      return verifyChain(source, checkpoints, { verifiers, origin, checkpointEvery, ...options });
    },
  };
}

function eventFields(event: AuditEvent): AuditEvent {
  if (typeof event.action !== 'string' || event.action === '') throw auditEventInvalid('the action is empty');
  if (!auditOutcomes.includes(event.outcome))
    throw auditEventInvalid(`unknown outcome ${String(event.outcome)}`);
  const fields: AuditEvent = {
    action: event.action,
    outcome: event.outcome,
    principal: event.principal ?? null,
    resource: event.resource ?? null,
    requestId: event.requestId ?? null,
    clientAddress: event.clientAddress ?? null,
  };
  // Added after the first entries were written: present only when set, so an older entry (or one with
  // nothing to say) hashes exactly as before and the whole chain keeps verifying.
  if (event.actorName != null) fields.actorName = event.actorName;
  if (event.credential != null) fields.credential = credentialOf(event.credential);
  if (event.team != null) fields.team = event.team;
  if (event.details !== undefined) {
    for (const [key, value] of Object.entries(event.details)) {
      if (SECRET_KEY.test(key)) throw auditEventInvalid(`details.${key} looks like a secret`);
      if (value !== null && typeof value === 'object') throw auditEventInvalid(`details.${key} is not flat`);
    }
    fields.details = { ...event.details };
  }
  try {
    canonicalJson(fields);
  } catch (err) {
    if (err instanceof CanonicalJsonError) throw auditEventInvalid(err.message);
    throw err;
  }
  return fields;
}

/** Exactly the credential's own fields: nothing else (a secret, say) can ride along into the chain. */
function credentialOf(c: AuditCredential): AuditCredential {
  // `sessionId` only when set, so a credential without one hashes exactly as before it existed.
  const session = typeof c.sessionId === 'string' ? { sessionId: c.sessionId } : {};
  if (c.kind === 'token') return { kind: 'token', tokenId: c.tokenId, ...session };
  if (c.kind === 'oidc')
    return { kind: 'oidc', issuer: c.issuer, subject: c.subject, jti: c.jti ?? null, ...session };
  throw auditEventInvalid('unknown credential kind');
}
