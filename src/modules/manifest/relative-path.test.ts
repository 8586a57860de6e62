import { describe, expect, it } from 'vitest';
import { validateRelativePath } from './relative-path.js';

function reasonFor(p: string): string {
  try {
    validateRelativePath(p);
  } catch (err) {
    expect(err).toMatchObject({
      code: 'invalid_file_path',
      kind: 'invalid',
      details: { path: expect.stringContaining(p.slice(0, 300)) },
    });
    return (err as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(p)}`);
}

describe('validateRelativePath', () => {
  it('accepts ordinary relative paths', () => {
    for (const p of ['model.onnx', 'a/b/c.bin', '.hidden/x', 'a..b', 'ünïcødé/😀.txt', 'a b/c:d']) {
      expect(validateRelativePath(p)).toBe(p);
    }
  });

  it.each([
    ['', 'empty'],
    ['.', '"." component'],
    ['..', '".." component'],
    ['../x', '".." component'],
    ['a/../b', '".." component'],
    ['a/./b', '"." component'],
    ['a/..', '".." component'],
    ['/abs', 'absolute'],
    ['C:\\x', 'absolute'],
    ['\\\\server\\share', 'absolute'],
    ['C:/x', 'drive letter'],
    ['a\\b', 'backslash'],
    ['a//b', 'empty component'],
    ['a/', 'empty component'],
  ])('refuses %j (%s)', (p, reason) => {
    expect(reasonFor(p)).toContain(reason);
  });

  it('refuses NUL and other control characters, showing them escaped', () => {
    expect(reasonFor('a\u0000b')).toContain('"a\\u0000b"');
    for (const c of ['\u0001', '\n', '\r', '\t', '\u001f', '\u007f']) {
      expect(reasonFor(`a${c}b`)).toContain('control character');
    }
  });

  it('names the rule in the message and the details', () => {
    expect(reasonFor('.git/config')).toContain('(rule: git_component)');
    try {
      validateRelativePath('.git/config');
    } catch (err) {
      expect((err as { details: unknown }).details).toMatchObject({
        path: '.git/config',
        rule: 'git_component',
      });
    }
  });

  it('refuses lone surrogates', () => {
    expect(reasonFor('a\uD800b')).toContain('not valid Unicode');
  });

  it('limits components to 255 bytes and paths to 4096 bytes', () => {
    expect(validateRelativePath('a'.repeat(255))).toHaveLength(255);
    expect(reasonFor('a'.repeat(256))).toContain('255 bytes');
    // 128 two-byte characters: 128 code units but 256 bytes.
    expect(reasonFor('é'.repeat(128))).toContain('255 bytes');
    const deep = Array.from({ length: 25 }, () => 'd'.repeat(200)).join('/');
    expect(reasonFor(deep)).toContain('4096 bytes');
  });
});
