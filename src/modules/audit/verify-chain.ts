import type { AuditEntry, AuditHead, Checkpoint, VerifyReport } from './audit.types.js';
import { parseCheckpointText } from './checkpoint-note.js';
import { entryHash, genesisHash, sameHash } from './entry-hash.js';
import { type NoteVerifier, openNote } from './signed-note.js';

export interface VerifyChainOptions {
  /** The keys whose signatures count (the current audit key and any retired ones). */
  verifiers: NoteVerifier[];
  /** The log's origin; when absent, every checkpoint must carry the same origin as the first. */
  origin?: string;
  /**
   * The head the live log recorded before its entries were read: the entry at head.seq must be there with
   * that hash (entries appended while reading may follow it).
   */
  head?: AuditHead;
  /**
   * Require a trusted checkpoint that signs the last entry, as an export always has one. Without it,
   * entries after the last checkpoint could be cut off or forged unnoticed.
   */
  requireSignedHead?: boolean;
}

type Problems = VerifyReport['checkpointProblems'];

/**
 * Checks a whole chain in one pass with bounded memory, and every checkpoint against it. Pure: the entries
 * may come from a database scan or an export file. Returns a report naming the first bad entry rather
 * than throwing, so a caller can show everything that is wrong.
 */
export async function verifyChain(
  source: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  checkpoints: Checkpoint[],
  options: VerifyChainOptions,
): Promise<VerifyReport> {
  const problems: Problems = [];
  const signed = signedSizes(checkpoints, options, problems);
  let firstBad: VerifyReport['firstBad'] = null;
  const bad = (seq: number, reason: NonNullable<VerifyReport['firstBad']>['reason'], message: string) => {
    firstBad ??= { seq, reason, message };
  };

  let expected = 1;
  let prev = genesisHash;
  let last: AuditHead = { seq: 0, hash: genesisHash };
  let entries = 0;
  const seen = new Map<number, string>();
  for await (const entry of source) {
    entries++;
    if (!firstBad) {
      if (entry.seq !== expected) {
        if (entry.seq > expected)
          bad(expected, 'seq_gap', `entry ${expected} is missing (found ${entry.seq} in its place)`);
        else
          bad(
            expected,
            'seq_order',
            `entry ${entry.seq} appears again or out of order where ${expected} belongs`,
          );
      } else if (!sameHash(entry.prevHash, prev)) {
        bad(entry.seq, 'prev_hash_mismatch', `entry ${entry.seq} does not link to entry ${entry.seq - 1}`);
      } else if (!sameHash(safeHash(entry), entry.hash)) {
        bad(
          entry.seq,
          'hash_mismatch',
          `entry ${entry.seq} was altered: its content does not match its hash`,
        );
      }
      expected++;
      prev = entry.hash;
    }
    if ((signed.has(entry.seq) || entry.seq === options.head?.seq) && !seen.has(entry.seq))
      seen.set(entry.seq, entry.hash);
    last = { seq: entry.seq, hash: entry.hash };
  }

  for (const [size, hash] of signed) {
    if (size === 0) continue;
    const found = seen.get(size);
    if (size > last.seq) {
      problems.push({
        size,
        reason: 'log_shorter_than_checkpoint',
        message: `a checkpoint signed ${size} entries but the log ends at ${last.seq}`,
      });
      bad(last.seq + 1, 'truncated', `entries ${last.seq + 1} to ${size} were removed after a checkpoint`);
    } else if (found === undefined || !sameHash(found, hash)) {
      problems.push({
        size,
        reason: 'hash_mismatch',
        message: `entry ${size} does not have the head hash the checkpoint signed`,
      });
    }
  }
  if (options.head) {
    const { head } = options;
    const atHead = head.seq === 0 ? genesisHash : seen.get(head.seq);
    if (head.seq > last.seq)
      bad(last.seq + 1, 'truncated', `the log ends at ${last.seq}, its head is ${head.seq}`);
    else if (!sameHash(atHead, head.hash))
      bad(head.seq, 'head_mismatch', `entry ${head.seq} is not the head the log recorded`);
  }
  const headSigned = signed.has(last.seq) && (last.seq === 0 || seen.has(last.seq));
  if (options.requireSignedHead && !headSigned)
    problems.push({
      size: last.seq,
      reason: 'head_not_signed',
      message: `no trusted checkpoint signs the last entry (${last.seq})`,
    });
  problems.sort((a, b) => a.size - b.size);
  return {
    ok: !firstBad && problems.length === 0,
    entries,
    checkpoints: checkpoints.length,
    head: last,
    firstBad,
    checkpointProblems: problems,
  };
}

/** The signed (size → hash) pairs of the checkpoints that verify; the others are reported. */
function signedSizes(
  checkpoints: Checkpoint[],
  options: VerifyChainOptions,
  problems: Problems,
): Map<number, string> {
  const signed = new Map<number, string>();
  let origin = options.origin;
  for (const cp of checkpoints) {
    const problem = (reason: Problems[number]['reason'], message: string) =>
      problems.push({ size: cp.size, reason, message });
    const opened = openNote(cp.note, options.verifiers);
    if (!opened.ok) {
      problem(opened.reason, `checkpoint ${cp.size}: ${opened.message}`);
      continue;
    }
    const body = parseCheckpointText(opened.text);
    if (!body) {
      problem('malformed', `checkpoint ${cp.size}: the signed text is not a checkpoint`);
      continue;
    }
    origin ??= body.origin;
    if (body.origin !== origin) {
      problem(
        'wrong_origin',
        `checkpoint ${cp.size} is for log ${JSON.stringify(body.origin)}, not ${JSON.stringify(origin)}`,
      );
      continue;
    }
    if (body.size !== cp.size || !sameHash(body.hash, cp.hash)) {
      problem('malformed', `checkpoint ${cp.size}: its size or hash differs from what its note signed`);
      continue;
    }
    const other = signed.get(body.size);
    if (
      (other !== undefined && !sameHash(other, body.hash)) ||
      (body.size === 0 && !sameHash(body.hash, genesisHash))
    ) {
      problem('hash_mismatch', `two signed checkpoints of size ${body.size} disagree: the log was forked`);
      continue;
    }
    signed.set(body.size, body.hash);
  }
  return signed;
}

function safeHash(entry: AuditEntry): string {
  try {
    return entryHash(entry);
  } catch {
    // A value with no canonical form cannot be what was hashed at append time.
    return '';
  }
}
