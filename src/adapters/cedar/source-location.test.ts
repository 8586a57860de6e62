import { describe, expect, it } from 'vitest';
import { locate } from './source-location.js';

describe('locate', () => {
  const text = '// é — ü\npermit (principal, action, resource);';

  it('turns a UTF-8 byte offset (what Cedar reports) into a 1-based line and column', () => {
    const byteOffset = Buffer.byteLength('// é — ü\npermit (');
    expect(locate(text, byteOffset, 'bytes')).toEqual({ line: 2, column: 9 });
  });

  it('turns a string index into the same position', () => {
    expect(locate(text, text.indexOf('principal'), 'chars')).toEqual({ line: 2, column: 9 });
  });

  it('counts columns in characters on a line with multi-byte text', () => {
    expect(locate(text, Buffer.byteLength('// é —'), 'bytes')).toEqual({ line: 1, column: 7 });
  });
});
