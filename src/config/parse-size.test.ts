import { describe, expect, it } from 'vitest';
import { parseSize } from './parse-size.js';

describe('parseSize', () => {
  it.each([
    ['1048576', 1_048_576],
    ['0', 0],
    ['10b', 10],
    ['1kb', 1_000],
    ['512MiB', 512 * 1024 ** 2],
    ['2GB', 2_000_000_000],
    ['2gb', 2_000_000_000],
    ['3TB', 3e12],
    ['1KiB', 1024],
    ['64GiB', 64 * 1024 ** 3],
    ['2TiB', 2 * 1024 ** 4],
    ['1.5GiB', 1.5 * 1024 ** 3],
    ['0.5KB', 500],
    [' 512 MiB ', 512 * 1024 ** 2],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it('rounds a fractional byte count to a whole byte', () => {
    expect(parseSize('1.0004KB')).toBe(1000);
    expect(Number.isInteger(parseSize('0.3KiB'))).toBe(true);
  });

  it.each([
    '',
    '   ',
    'abc',
    'MiB',
    '-1',
    '-1MiB',
    '+5',
    '1e9',
    '1,000',
    '.5GB',
    '5 PB',
    '5 MiBs',
    '1 2MB',
    '0x10',
  ])('rejects %j', (text) => {
    expect(parseSize(text)).toBeNull();
  });

  it('rejects sizes past the largest safe integer', () => {
    expect(parseSize('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseSize('9007199254740993')).toBeNull();
    expect(parseSize('8192TiB')).toBeNull();
  });
});
