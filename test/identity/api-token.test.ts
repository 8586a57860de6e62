import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateApiToken,
  hashSecret,
  parseApiToken,
  secretMatches,
  tokenIdLength,
  tokenSecretLength,
} from '../../src/modules/identity/api-token.js';

describe('API token format', () => {
  it('is wdn_ + 12-char base62 id + _ + 43-char base62 secret', () => {
    const { id, token } = generateApiToken();
    expect(token).toMatch(/^wdn_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/);
    expect(token.slice(4, 16)).toBe(id);
    expect(id).toHaveLength(tokenIdLength);
    expect(token.split('_')[2]).toHaveLength(tokenSecretLength);
  });

  it('carries at least 256 bits of secret: 43 base62 characters span 2^256', () => {
    expect(tokenSecretLength * Math.log2(62)).toBeGreaterThanOrEqual(256);
    expect(62n ** 43n).toBeGreaterThanOrEqual(2n ** 256n);
  });

  it('never repeats and uses the whole alphabet (a coarse randomness check)', () => {
    const tokens = Array.from({ length: 2000 }, () => generateApiToken());
    expect(new Set(tokens.map((t) => t.token)).size).toBe(tokens.length);
    expect(new Set(tokens.map((t) => t.id)).size).toBe(tokens.length);
    const chars = new Set(tokens.flatMap((t) => [...(t.token.split('_')[2] ?? '')]));
    expect(chars.size).toBe(62);
  });

  it('stores the SHA-256 of the secret, not the secret', () => {
    const { token, secretHash } = generateApiToken();
    const secret = token.split('_')[2] ?? '';
    expect(secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(secretHash).not.toContain(secret);
  });

  it('parses only the exact format', () => {
    const { id, token } = generateApiToken();
    const secret = token.slice(17);
    expect(parseApiToken(token)).toEqual({ id, secret });
    for (const bad of [
      '',
      'wdn_',
      ` ${token}`,
      `${token} `,
      `${token}\n`,
      token.toUpperCase(),
      token.replace('wdn_', 'WDN_'),
      token.slice(0, -1),
      `${token}A`,
      token.replace(/_/g, '-'),
      `wdn_${id}_${secret.slice(0, 42)}!`,
      `wdn_${id}__${secret.slice(1)}`,
    ]) {
      expect(parseApiToken(bad), bad).toBeNull();
    }
  });

  it('matches a secret only against its own digest; the decoy for unknown ids never matches', () => {
    const { token, secretHash } = generateApiToken();
    const secret = token.slice(17);
    expect(secretMatches(secret, secretHash)).toBe(true);
    // Change the last character to one it is not, so the altered secret always differs.
    const altered = `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`;
    expect(secretMatches(altered, secretHash)).toBe(false);
    expect(secretMatches(secret, hashSecret('other'))).toBe(false);
    expect(secretMatches(secret, null)).toBe(false);
    expect(secretMatches(secret, 'short')).toBe(false);
  });
});
