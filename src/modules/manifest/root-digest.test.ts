import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rootDigest, sortResources } from './root-digest.js';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

describe('rootDigest', () => {
  it('hashes the raw digest bytes in the order given', () => {
    const a = hex('a');
    const b = hex('b');
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from(a, 'hex'), Buffer.from(b, 'hex')]))
      .digest('hex');
    expect(
      rootDigest([
        { name: 'x', digest: a },
        { name: 'y', digest: b },
      ]),
    ).toBe(expected);
    expect(
      rootDigest([
        { name: 'y', digest: b },
        { name: 'x', digest: a },
      ]),
    ).not.toBe(expected);
  });

  it('matches the single-file interop vector', () => {
    const resource = {
      name: '.',
      digest: 'bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc',
    };
    expect(rootDigest([resource])).toBe('afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b');
  });

  it('refuses digests that are not lowercase SHA-256 hex', () => {
    expect(() => rootDigest([{ name: 'x', digest: 'zz' }])).toThrow(
      expect.objectContaining({ code: 'invalid_digest' }),
    );
    const upper = hex('a').toUpperCase();
    expect(() => rootDigest([{ name: 'x', digest: upper }])).toThrow(
      expect.objectContaining({ code: 'invalid_digest' }),
    );
  });
});

describe('sortResources', () => {
  it('returns a sorted copy in manifest order', () => {
    const input = [{ name: 'a.txt' }, { name: 'a/b' }, { name: 'a-b/c' }];
    expect(sortResources(input).map((r) => r.name)).toEqual(['a/b', 'a-b/c', 'a.txt']);
    expect(input[0]!.name).toBe('a.txt');
  });
});
