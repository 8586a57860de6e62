import type { AuditHead } from './audit.types.js';
import { isHash } from './entry-hash.js';

// The spec recommends a schema-less URL, without spaces or "+".
const ORIGIN = /^[^\s+]+$/u;

/**
 * The body of a checkpoint in the C2SP tlog-checkpoint layout (https://c2sp.org/tlog-checkpoint): origin,
 * size in decimal, and the base64 of the 32-byte head hash, one per line. Warden's "root hash" is the head
 * of a hash chain, not of a Merkle tree, so the format reads the same but no inclusion or consistency
 * proofs exist for it.
 */
export function checkpointText(origin: string, head: AuditHead, every?: number): string {
  if (!ORIGIN.test(origin)) throw new TypeError('a checkpoint origin is non-empty and has no whitespace');
  const body = `${origin}\n${head.seq}\n${Buffer.from(head.hash, 'hex').toString('base64')}\n`;
  // The schedule travels inside the signature, so deleting checkpoints cannot also hide how many to expect.
  return every === undefined ? body : `${body}${EVERY_PREFIX}${every}\n`;
}

/** The extension line that records the log's checkpoint interval when the checkpoint was signed. */
const EVERY_PREFIX = 'checkpoint-every ';

export interface CheckpointBody {
  origin: string;
  size: number;
  hash: string;
  /** The interval N in force when it was signed; absent in checkpoints signed before it was recorded. */
  every?: number;
}

/** Reads a checkpoint body; null when it does not have the tlog-checkpoint shape. */
export function parseCheckpointText(text: string): CheckpointBody | null {
  const lines = text.split('\n');
  // origin, size, hash, then optional extension lines, then the empty string after the final newline.
  if (lines.length < 4 || lines[lines.length - 1] !== '') return null;
  const [origin, sizeText, hashB64] = lines as [string, string, string];
  if (!ORIGIN.test(origin) || !/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) return null;
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return null;
  if (!/^[A-Za-z0-9+/]{43}=$/.test(hashB64)) return null;
  const hash = Buffer.from(hashB64, 'base64').toString('hex');
  if (!isHash(hash)) return null;
  const everyLines = lines.slice(3, -1).filter((l) => l.startsWith(EVERY_PREFIX));
  if (everyLines.length === 0) return { origin, size, hash };
  const everyText = everyLines.length === 1 ? everyLines[0]?.slice(EVERY_PREFIX.length) : undefined;
  if (everyText === undefined || !/^[1-9][0-9]{0,15}$/.test(everyText)) return null;
  const every = Number(everyText);
  return Number.isSafeInteger(every) ? { origin, size, hash, every } : null;
}
