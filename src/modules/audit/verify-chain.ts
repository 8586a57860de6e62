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
  /**
   * The checkpoint interval in force now (the server's setting). With it, entries lying past the last
   * checkpoint by a full interval or more are reported (`tail_unsigned`), which catches a log whose every
   * checkpoint was deleted. Checkpoints themselves record the interval they were signed under, which is what
   * the gaps between them are checked against (`checkpoint_missing`).
   */
  checkpointEvery?: number;
  /**
   * Check the tail only up to this entry: the head read before the checkpoints were listed, so an append
   * that commits its entry and checkpoint while verification runs is not mistaken for a missing one.
   */
  scheduleThrough?: number;
}

interface Signed {
  hash: string;
  every: number | undefined;
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

  for (const [size, { hash }] of signed) {
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
  scheduleProblems(signed, seen, last.seq, options, problems);
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
): Map<number, Signed> {
  const signed = new Map<number, Signed>();
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
      (other !== undefined && !sameHash(other.hash, body.hash)) ||
      (body.size === 0 && !sameHash(body.hash, genesisHash))
    ) {
      problem('hash_mismatch', `two signed checkpoints of size ${body.size} disagree: the log was forked`);
      continue;
    }
    signed.set(body.size, { hash: body.hash, every: other?.every ?? body.every });
  }
  return signed;
}

/**
 * Checks that no checkpoint the schedule called for is missing. The log signs one at every multiple of N,
 * and each checkpoint records the N it was signed under. Between two consecutive checkpoints p < s the
 * setting may have changed once, at some unknown entry c: no multiple of N(p) may fall in (p, c] and none of
 * N(s) in (c, s). Such a c exists exactly when the last multiple of N(s) below s comes before the first
 * multiple of N(p) above p. Checkpoints signed on demand (exports) sit between scheduled ones harmlessly.
 */
function scheduleProblems(
  signed: Map<number, Signed>,
  seen: Map<number, string>,
  lastSeq: number,
  options: VerifyChainOptions,
  problems: Problems,
): void {
  // Only checkpoints that hold against the chain count as present; the others are reported already.
  const present = [...signed]
    .filter(([size, { hash }]) => size === 0 || (size <= lastSeq && sameHash(seen.get(size), hash)))
    .map(([size, { every }]) => ({ size, every }))
    .sort((a, b) => a.size - b.size);
  const firstAbove = (p: number, n: number) => (Math.floor(p / n) + 1) * n;
  const lastBelow = (s: number, n: number) => Math.floor((s - 1) / n) * n;

  let prev = { size: 0, every: present[0]?.every };
  for (const cp of present) {
    if (cp.size === 0) continue;
    const nPrev = prev.every ?? cp.every;
    const nNext = cp.every ?? prev.every;
    if (nPrev !== undefined && nNext !== undefined) {
      const due = firstAbove(prev.size, nPrev);
      if (lastBelow(cp.size, nNext) >= due) {
        const missing = due < cp.size ? due : lastBelow(cp.size, nNext);
        problems.push({
          size: missing,
          reason: 'checkpoint_missing',
          message: `no checkpoint between entries ${prev.size} and ${cp.size}, though one was due at ${missing} (every ${nPrev === nNext ? nPrev : `${nPrev}, then ${nNext}`})`,
        });
      }
    }
    prev = cp;
  }

  const through = Math.min(options.scheduleThrough ?? lastSeq, lastSeq);
  const nNow = options.checkpointEvery ?? prev.every;
  const nPrev = prev.every ?? nNow;
  if (nNow === undefined || nPrev === undefined || through <= prev.size) return;
  const due = firstAbove(prev.size, nPrev);
  const lastDue = Math.floor(through / nNow) * nNow;
  if (lastDue >= due)
    problems.push({
      size: Math.min(due, lastDue),
      reason: 'tail_unsigned',
      message: `entries ${prev.size + 1} to ${through} lie past the last checkpoint (${prev.size}), though one was due at ${Math.min(due, lastDue)} (every ${nNow}): checkpoints were deleted`,
    });
}

function safeHash(entry: AuditEntry): string {
  try {
    return entryHash(entry);
  } catch {
    // A value with no canonical form cannot be what was hashed at append time.
    return '';
  }
}
