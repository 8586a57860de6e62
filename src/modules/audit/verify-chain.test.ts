import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, Checkpoint } from './audit.types.js';
import { checkpointText, parseCheckpointText } from './checkpoint-note.js';
import { entryHash, genesisHash } from './entry-hash.js';
import { formatVerifierKey, type NoteSigner, parseVerifierKey, signNote } from './signed-note.js';
import { verifyChain } from './verify-chain.js';

function signer(name = 'warden-audit'): NoteSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  return { vkey: formatVerifierKey(name, raw), sign: (m) => sign(null, m, privateKey) };
}

const key = signer();
const verifiers = [parseVerifierKey(key.vkey)];

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = genesisHash;
  for (let seq = 1; seq <= n; seq++) {
    const e: Omit<AuditEntry, 'hash'> = {
      seq,
      id: `id-${seq}`,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      action: seq % 2 ? 'registry:model:create' : 'registry:alias:set',
      outcome: 'success',
      principal: `user:u${seq % 3}`,
      resource: `model:m${seq}`,
      requestId: `req-${seq}`,
      clientAddress: '127.0.0.1',
      ...(seq % 4 === 0 ? { details: { n: seq, ok: true, note: null } } : {}),
      prevHash,
    };
    const entry = { ...e, hash: entryHash(e) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

function checkpoint(
  entries: AuditEntry[],
  size: number,
  s: NoteSigner = key,
  origin = 'warden/audit',
): Checkpoint {
  const hash = size === 0 ? genesisHash : (entries[size - 1]?.hash ?? '');
  return {
    size,
    hash,
    note: signNote(checkpointText(origin, { seq: size, hash }), s),
    at: '2026-01-01T00:00:00.000Z',
  };
}

const verify = (entries: AuditEntry[], cps: Checkpoint[], extra = {}) =>
  verifyChain(entries, cps, { verifiers, origin: 'warden/audit', ...extra });

/** Changes a field and recomputes that entry's own hash, as someone who knows the format but not the key would. */
function rehash(e: AuditEntry, patch: Partial<AuditEntry>): AuditEntry {
  const { hash: _h, ...rest } = { ...e, ...patch };
  return { ...rest, hash: entryHash(rest) };
}

describe('verifyChain', () => {
  it('accepts an intact chain with its checkpoints', async () => {
    const entries = chain(10);
    const report = await verify(entries, [
      checkpoint(entries, 0),
      checkpoint(entries, 5),
      checkpoint(entries, 10),
    ]);
    expect(report).toEqual({
      ok: true,
      entries: 10,
      checkpoints: 3,
      head: { seq: 10, hash: entries[9]?.hash },
      firstBad: null,
      checkpointProblems: [],
    });
  });

  it('accepts an empty log', async () => {
    const report = await verify([], []);
    expect(report).toMatchObject({ ok: true, entries: 0, head: { seq: 0, hash: genesisHash } });
  });

  it('names an entry whose field was altered (hash_mismatch)', async () => {
    const entries = chain(8);
    entries[4] = { ...(entries[4] as AuditEntry), principal: 'user:someone-else' };
    const report = await verify(entries, []);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
  });

  it('names the entry after one altered and re-hashed (prev_hash_mismatch), and the checkpoint it breaks', async () => {
    const entries = chain(8);
    const cps = [checkpoint(entries, 4), checkpoint(entries, 8)];
    entries[2] = rehash(entries[2] as AuditEntry, { outcome: 'denied' });
    const report = await verify(entries, cps);
    expect(report.firstBad).toMatchObject({ seq: 4, reason: 'prev_hash_mismatch' });
    expect(report.checkpointProblems).toEqual([]);
    // Re-hashing every later entry too leaves the chain consistent, but not the checkpoints.
    let prev = entries[1]?.hash ?? '';
    for (let i = 2; i < entries.length; i++) {
      entries[i] = rehash(entries[i] as AuditEntry, { prevHash: prev });
      prev = entries[i]?.hash ?? '';
    }
    const rewritten = await verify(entries, cps);
    expect(rewritten.firstBad).toBeNull();
    expect(rewritten.checkpointProblems.map((p) => [p.size, p.reason])).toEqual([
      [4, 'hash_mismatch'],
      [8, 'hash_mismatch'],
    ]);
  });

  it('names a deleted entry (seq_gap)', async () => {
    const entries = chain(6);
    entries.splice(2, 1);
    expect((await verify(entries, [])).firstBad).toMatchObject({ seq: 3, reason: 'seq_gap' });
  });

  it('names a deleted entry even when the later ones were renumbered (prev_hash_mismatch)', async () => {
    const entries = chain(6);
    entries.splice(2, 1);
    for (let i = 2; i < entries.length; i++) entries[i] = { ...(entries[i] as AuditEntry), seq: i + 1 };
    expect((await verify(entries, [])).firstBad).toMatchObject({ seq: 3, reason: 'prev_hash_mismatch' });
  });

  it('names a repeated entry (seq_order)', async () => {
    const entries = chain(5);
    entries.splice(3, 0, entries[2] as AuditEntry);
    expect((await verify(entries, [])).firstBad).toMatchObject({ seq: 4, reason: 'seq_order' });
  });

  it('names the first position of two swapped entries', async () => {
    const entries = chain(6);
    [entries[1], entries[4]] = [entries[4] as AuditEntry, entries[1] as AuditEntry];
    expect((await verify(entries, [])).firstBad).toMatchObject({ seq: 2, reason: 'seq_gap' });
  });

  it('names a forged entry inserted in the middle', async () => {
    const entries = chain(5);
    const forged = rehash(
      { ...(entries[1] as AuditEntry), seq: 3, id: 'forged', prevHash: entries[1]?.hash ?? '' },
      {},
    );
    const shifted = entries.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }));
    const report = await verify([entries[0] as AuditEntry, entries[1] as AuditEntry, forged, ...shifted], []);
    expect(report.firstBad).toMatchObject({ seq: 4, reason: 'prev_hash_mismatch' });
  });

  it('detects entries cut off after a checkpoint', async () => {
    const entries = chain(10);
    const cps = [checkpoint(entries, 5), checkpoint(entries, 10)];
    const report = await verify(entries.slice(0, 7), cps);
    expect(report.ok).toBe(false);
    expect(report.firstBad).toMatchObject({ seq: 8, reason: 'truncated' });
    expect(report.checkpointProblems).toMatchObject([{ size: 10, reason: 'log_shorter_than_checkpoint' }]);
  });

  it('detects entries cut off before the recorded head', async () => {
    const entries = chain(6);
    const head = { seq: 6, hash: entries[5]?.hash ?? '' };
    expect((await verify(entries.slice(0, 4), [], { head })).firstBad).toMatchObject({
      seq: 5,
      reason: 'truncated',
    });
    expect((await verify(entries, [], { head: { seq: 6, hash: genesisHash } })).firstBad).toMatchObject({
      seq: 6,
      reason: 'head_mismatch',
    });
    expect((await verify(entries, [], { head })).ok).toBe(true);
  });

  it('reports an altered checkpoint as bad_signature', async () => {
    const entries = chain(4);
    const cp = checkpoint(entries, 4);
    const altered = { ...cp, size: 3, hash: entries[2]?.hash ?? '', note: cp.note.replace('\n4\n', '\n3\n') };
    const report = await verify(entries, [altered]);
    expect(report.checkpointProblems).toMatchObject([{ size: 3, reason: 'bad_signature' }]);
    expect(report.ok).toBe(false);
  });

  it('reports a checkpoint whose stored fields differ from its note as malformed', async () => {
    const entries = chain(4);
    const cp = { ...checkpoint(entries, 4), size: 3 };
    expect((await verify(entries, [cp])).checkpointProblems).toMatchObject([
      { size: 3, reason: 'malformed' },
    ]);
  });

  it('reports checkpoints by other keys, of other logs and forks', async () => {
    const entries = chain(4);
    const other = signer();
    const report = await verify(entries, [
      checkpoint(entries, 1, other),
      checkpoint(entries, 2, key, 'elsewhere/audit'),
      checkpoint(entries, 3),
      {
        ...checkpoint(entries, 3),
        hash: genesisHash,
        note: signNote(checkpointText('warden/audit', { seq: 3, hash: genesisHash }), key),
      },
    ]);
    expect(report.checkpointProblems.map((p) => [p.size, p.reason])).toEqual([
      [1, 'unknown_key'],
      [2, 'wrong_origin'],
      [3, 'hash_mismatch'],
    ]);
  });

  it('accepts checkpoints by a retired key it is given', async () => {
    const entries = chain(4);
    const old = signer();
    const report = await verifyChain(entries, [checkpoint(entries, 2, old), checkpoint(entries, 4)], {
      verifiers: [...verifiers, parseVerifierKey(old.vkey)],
    });
    expect(report.ok).toBe(true);
  });

  it('requires, when asked, a checkpoint that signs the last entry', async () => {
    const entries = chain(6);
    const cps = [checkpoint(entries, 3)];
    expect((await verify(entries, cps, { requireSignedHead: true })).checkpointProblems).toMatchObject([
      { size: 6, reason: 'head_not_signed' },
    ]);
    expect((await verify(entries, [...cps, checkpoint(entries, 6)], { requireSignedHead: true })).ok).toBe(
      true,
    );
    expect((await verify([], [], { requireSignedHead: true })).ok).toBe(false);
    expect((await verify([], [checkpoint([], 0)], { requireSignedHead: true })).ok).toBe(true);
  });

  it('treats a value that has no canonical form as an altered entry rather than crashing', async () => {
    const entries = chain(3);
    entries[1] = { ...(entries[1] as AuditEntry), resource: 'bad\ud800' };
    expect((await verify(entries, [])).firstBad).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
  });

  it('reads entries from an async source', async () => {
    const entries = chain(3);
    async function* source() {
      yield* entries;
    }
    expect((await verifyChain(source(), [checkpoint(entries, 3)], { verifiers })).ok).toBe(true);
  });
});

describe('checkpoint text', () => {
  it('writes and reads the tlog-checkpoint body', () => {
    const hash = 'ab'.repeat(32);
    const text = checkpointText('warden/audit', { seq: 42, hash });
    expect(text).toBe(`warden/audit\n42\n${Buffer.from(hash, 'hex').toString('base64')}\n`);
    expect(parseCheckpointText(text)).toEqual({ origin: 'warden/audit', size: 42, hash });
  });

  it.each([
    ['a missing final newline', 'o\n1\nq83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng='],
    ['a size with a leading zero', 'o\n01\nq83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=\n'],
    ['a short hash', 'o\n1\nq83v\n'],
    ['no origin', '\n1\nq83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=\n'],
  ])('refuses %s', (_what, text) => {
    expect(parseCheckpointText(text)).toBeNull();
  });
});
