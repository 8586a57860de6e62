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
  every?: number,
): Checkpoint {
  const hash = size === 0 ? genesisHash : (entries[size - 1]?.hash ?? '');
  return {
    size,
    hash,
    note: signNote(checkpointText(origin, { seq: size, hash }, every), s),
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

describe('verifyChain: the checkpoint schedule', () => {
  /** Checkpoints as the log signs them: at every multiple of `every`, each recording it. */
  const scheduled = (entries: AuditEntry[], every: number, sizes?: number[]) =>
    (sizes ?? entries.map((e) => e.seq).filter((seq) => seq % every === 0)).map((size) =>
      checkpoint(entries, size, key, 'warden/audit', every),
    );
  const problems = async (entries: AuditEntry[], cps: Checkpoint[], extra = {}) =>
    (await verify(entries, cps, extra)).checkpointProblems.map((p) => [p.size, p.reason]);

  it('accepts every scheduled checkpoint, with on-demand ones between them', async () => {
    const entries = chain(23);
    const cps = [...scheduled(entries, 5), checkpoint(entries, 7, key, 'warden/audit', 5)];
    expect(await problems(entries, cps, { checkpointEvery: 5 })).toEqual([]);
  });

  it('reports a deleted scheduled checkpoint, even beside an on-demand one', async () => {
    const entries = chain(20);
    const cps = [...scheduled(entries, 5, [5, 15, 20]), checkpoint(entries, 7, key, 'warden/audit', 5)];
    expect(await problems(entries, cps, { checkpointEvery: 5 })).toEqual([[10, 'checkpoint_missing']]);
  });

  it('reports a deleted first checkpoint', async () => {
    const entries = chain(10);
    expect(await problems(entries, scheduled(entries, 5, [10]))).toEqual([[5, 'checkpoint_missing']]);
  });

  it('reports entries a full interval past the last checkpoint, and accepts fewer', async () => {
    const entries = chain(14);
    expect(await problems(entries, scheduled(entries, 5, [5]), { checkpointEvery: 5 })).toEqual([
      [10, 'tail_unsigned'],
    ]);
    expect(await problems(entries, scheduled(entries, 5), { checkpointEvery: 5 })).toEqual([]);
  });

  it('reports a log whose every checkpoint was deleted, from the interval in force', async () => {
    const entries = chain(12);
    expect(await problems(entries, [], { checkpointEvery: 5 })).toEqual([[5, 'tail_unsigned']]);
    expect(await problems(entries.slice(0, 4), [], { checkpointEvery: 5 })).toEqual([]);
  });

  it('checks the tail only up to `scheduleThrough` (entries appended while verifying)', async () => {
    const entries = chain(10);
    const cps = scheduled(entries, 5, [5]);
    expect(await problems(entries, cps, { checkpointEvery: 5, scheduleThrough: 9 })).toEqual([]);
  });

  it('follows the interval each checkpoint records when the setting changes', async () => {
    const entries = chain(60);
    // Every 5 up to 15, then every 20 (restarted with a new setting at some entry after 15).
    const cps = [...scheduled(entries, 5, [5, 10, 15]), ...scheduled(entries, 20, [20, 40, 60])];
    expect(await problems(entries, cps, { checkpointEvery: 20 })).toEqual([]);
    const without20 = cps.filter((c) => c.size !== 20);
    expect(await problems(entries, without20, { checkpointEvery: 20 })).toEqual([[20, 'checkpoint_missing']]);
    // Shortened to every 5 at some entry after 50 (55 is the first checkpoint under it): fine up to 55,
    // and 60 is then due under the new interval.
    const shortened = [...cps.filter((c) => c.size <= 40), ...scheduled(entries, 5, [55])];
    expect(await problems(entries.slice(0, 55), shortened)).toEqual([]);
    expect(await problems(entries, shortened)).toEqual([[60, 'tail_unsigned']]);
  });

  it('does not count checkpoints re-signed by another key, which leaves them missing', async () => {
    const entries = chain(10);
    const forger = signer();
    const cps = [5, 10].map((n) => checkpoint(entries, n, forger, 'warden/audit', 5));
    expect(await problems(entries, cps, { checkpointEvery: 5 })).toEqual([
      [5, 'unknown_key'],
      [5, 'tail_unsigned'],
      [10, 'unknown_key'],
    ]);
  });

  it('does not count a checkpoint that no longer matches the chain (consistent rewrite)', async () => {
    const original = chain(10);
    const cps = scheduled(original, 5);
    // History rewritten from entry 3 on, each entry re-linked, as someone without the key could.
    const rewritten: AuditEntry[] = original.slice(0, 2);
    for (const e of original.slice(2))
      rewritten.push(rehash(e, { principal: 'user:alibi', prevHash: rewritten.at(-1)?.hash ?? '' }));
    const report = await verify(rewritten, cps, { checkpointEvery: 5 });
    expect(report.firstBad).toBeNull();
    expect(report.checkpointProblems.map((p) => [p.size, p.reason])).toEqual([
      [5, 'hash_mismatch'],
      [5, 'tail_unsigned'],
      [10, 'hash_mismatch'],
    ]);
  });

  it('reports a chain shorter than a trusted checkpoint it was given', async () => {
    const entries = chain(12);
    const trusted = checkpoint(entries, 12, key, 'warden/audit', 5);
    const cut = entries.slice(0, 10);
    const report = await verify(cut, [...scheduled(cut, 5), trusted], { checkpointEvery: 5 });
    expect(report.firstBad).toMatchObject({ seq: 11, reason: 'truncated' });
    expect(report.checkpointProblems).toMatchObject([{ size: 12, reason: 'log_shorter_than_checkpoint' }]);
  });

  it('treats a forged interval line as a malformed checkpoint', async () => {
    const entries = chain(5);
    const body = `${checkpointText('warden/audit', { seq: 5, hash: entries[4]?.hash ?? '' })}checkpoint-every 0\n`;
    const cp = { size: 5, hash: entries[4]?.hash ?? '', note: signNote(body, key), at: '' };
    expect(await problems(entries, [cp])).toEqual([[5, 'malformed']]);
  });
});

describe('checkpoint text', () => {
  it('records the interval as a signed extension line', () => {
    const hash = 'cd'.repeat(32);
    const text = checkpointText('warden/audit', { seq: 40, hash }, 20);
    expect(text.split('\n')[3]).toBe('checkpoint-every 20');
    expect(parseCheckpointText(text)).toEqual({ origin: 'warden/audit', size: 40, hash, every: 20 });
  });

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
