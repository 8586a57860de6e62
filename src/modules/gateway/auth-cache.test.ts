import { describe, expect, it } from 'vitest';
import type { AuthResult } from '../identity/index.js';
import { cachedAuthenticator } from './auth-cache.js';

const principal = { id: 'token:a' } as never;

describe('cachedAuthenticator', () => {
  it('remembers a success for at most a second and never a failure', async () => {
    let now = 0;
    let calls = 0;
    let answer: AuthResult = { ok: true, principal };
    const auth = cachedAuthenticator(
      async () => {
        calls++;
        return answer;
      },
      { ttlMs: 5000, now: () => now },
    );
    expect((await auth('Bearer x')).ok).toBe(true);
    expect((await auth('Bearer x')).ok).toBe(true);
    expect(calls).toBe(1);
    answer = { ok: false, reason: 'token_revoked' };
    now = 999;
    expect((await auth('Bearer x')).ok).toBe(true);
    now = 1000; // the TTL is capped at one second whatever is asked
    expect((await auth('Bearer x')).ok).toBe(false);
    expect((await auth('Bearer x')).ok).toBe(false);
    expect(calls).toBe(3);
    expect((await auth(undefined)).ok).toBe(false);
  });

  it('keys on the whole credential and stays bounded', async () => {
    let calls = 0;
    const auth = cachedAuthenticator(
      async () => {
        calls++;
        return { ok: true, principal };
      },
      { maxEntries: 2, now: () => 0 },
    );
    for (const c of ['a', 'b', 'c', 'a']) await auth(`Bearer ${c}`);
    expect(calls).toBe(4);
    // A long credential (a JWT) is keyed by its hash: one that differs in its last character is another.
    const jwt = `Bearer ${'x'.repeat(600)}`;
    await auth(jwt);
    await auth(jwt);
    await auth(`${jwt.slice(0, -1)}y`);
    expect(calls).toBe(6);
  });
});
