import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openNote, parseVerifierKey, signNote } from '../../modules/audit/index.js';
import { AppError } from '../../platform/errors.js';
import { auditKeyFile, loadOrCreateAuditKey, retiredVkeysFile } from './audit-key.js';

const posix = process.platform !== 'win32';

describe('loadOrCreateAuditKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-audit-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a private Ed25519 key at first start and loads the same key afterwards', async () => {
    const first = await loadOrCreateAuditKey(dir);
    const file = path.join(dir, auditKeyFile);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.keyName).toBe('warden-audit');
    expect(first.vkey).toMatch(/^warden-audit\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const second = await loadOrCreateAuditKey(dir);
    expect(second.vkey).toBe(first.vkey);
    // What the first signs, the second's public key verifies.
    const note = signNote('warden/audit\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', first);
    expect(openNote(note, [parseVerifierKey(second.vkey)]).ok).toBe(true);
    expect(first.retiredVkeys).toEqual([]);
  });

  it('two starters racing agree on one key', async () => {
    const [a, b] = await Promise.all([loadOrCreateAuditKey(dir), loadOrCreateAuditKey(dir)]);
    expect(a.vkey).toBe(b.vkey);
  });

  it('refuses a garbled key file instead of replacing it', async () => {
    const file = path.join(dir, auditKeyFile);
    writeFileSync(file, 'not a key', { mode: 0o600 });
    await expect(loadOrCreateAuditKey(dir)).rejects.toMatchObject({ code: 'audit_key_unreadable' });
    expect(readFileSync(file, 'utf8')).toBe('not a key');
  });

  it('refuses a key of another algorithm', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(path.join(dir, auditKeyFile), privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    await expect(loadOrCreateAuditKey(dir)).rejects.toMatchObject({ code: 'audit_key_unreadable' });
  });

  it.runIf(posix)('refuses a key file that group or others can read', async () => {
    await loadOrCreateAuditKey(dir);
    chmodSync(path.join(dir, auditKeyFile), 0o640);
    const err = await loadOrCreateAuditKey(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'audit_key_insecure', kind: 'unavailable', details: { mode: '0640' } });
  });

  it.runIf(posix && process.getuid?.() !== 0)('refuses a key file it cannot read', async () => {
    await loadOrCreateAuditKey(dir);
    chmodSync(path.join(dir, auditKeyFile), 0o000);
    await expect(loadOrCreateAuditKey(dir)).rejects.toMatchObject({ code: 'audit_key_unreadable' });
  });

  it('reads retired verifier keys, skipping comments, blanks, duplicates and the current key', async () => {
    const current = await loadOrCreateAuditKey(dir);
    const old = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    writeFileSync(path.join(dir, retiredVkeysFile), `# retired 2026-01\n${old}\n\n${old}\n${current.vkey}\n`);
    expect((await loadOrCreateAuditKey(dir)).retiredVkeys).toEqual([old]);
  });

  it('refuses a retired-keys file with a line that is not a key', async () => {
    writeFileSync(path.join(dir, retiredVkeysFile), 'garbage\n');
    await expect(loadOrCreateAuditKey(dir)).rejects.toMatchObject({ code: 'audit_key_unreadable' });
  });
});
