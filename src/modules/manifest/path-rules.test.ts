import { describe, expect, it } from 'vitest';
import { checkPath, checkPaths, createPathSet, type PathRule, pathKey } from './path-rules.js';

describe('checkPath', () => {
  it.each([
    'model.onnx',
    'a/b/c.bin',
    '.hidden/x',
    'a..b',
    'ünïcødé/😀.txt',
    'a b/c:d',
    '.gitignore',
    '.gitmodules',
    '.gitattributes',
    '.github/workflows/x.yml',
    'git',
    'my.git',
    '.gitx',
    'git~x',
    'console.json',
    'auxiliary/nul-model.bin',
    'com10',
    'e\u0301', // a combining accent is visible and fine
    'a'.repeat(255),
  ])('accepts %j', (p) => {
    expect(checkPath(p)).toBeNull();
  });

  const table: [string, PathRule][] = [
    // The original attack: a pushed git folder whose config runs core.fsmonitor on `git status`.
    ['.git/config', 'git_component'],
    ['sub/.git/hooks/post-checkout', 'git_component'],
    ['.GIT/config', 'git_component'],
    ['.Git', 'git_component'],
    ['.git.', 'git_component'],
    ['.git...', 'git_component'],
    ['.git ', 'git_component'],
    ['.git . ', 'git_component'],
    ['a/.gIt ./config', 'git_component'],
    ['git~1/config', 'git_component'],
    ['GIT~1', 'git_component'],
    ['git~12', 'git_component'],
    ['.git::$INDEX_ALLOCATION/config', 'git_component'],
    ['\uff0egit/config', 'git_component'], // fullwidth full stop: NFKC `.git`
    ['.\uff27\uff29\uff34', 'git_component'], // fullwidth GIT
    ['.g\u0131t/config', 'git_component'], // dotless i: upper-cases to I, so NTFS's upcase table reads .GIT
    ['.g\u200cit/config', 'format_character'], // HFS+ ignores U+200C: `.git` there
    ['\ufeff.git', 'format_character'],
    // Control characters.
    ['a\u0000b', 'control_character'],
    ['a\nb', 'control_character'],
    ['a\rb', 'control_character'],
    ['a\tb', 'control_character'],
    ['a\u001fb', 'control_character'],
    ['a\u007fb', 'control_character'],
    ['a\u0085b', 'control_character'],
    ['a\u009fb', 'control_character'],
    ['a\u2028b', 'control_character'],
    ['a\u2029b', 'control_character'],
    // Bidirectional overrides, isolates, zero-width and other format characters (Unicode Cf).
    ...['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'].map(
      (c): [string, PathRule] => [`invoice${c}txt.onnx`, 'format_character'],
    ),
    ...['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2064', '\ufeff', '\u00ad'].map(
      (c): [string, PathRule] => [`a${c}b`, 'format_character'],
    ),
    ['a\u061cb', 'format_character'], // Arabic letter mark
    ['a\u180eb', 'format_character'], // Mongolian vowel separator
    ['a\u{e0001}b', 'format_character'], // language tag
    ['a\u3164b', 'format_character'], // Hangul filler, renders as nothing
    ['a\u2800b', 'format_character'],
    ['a\u034fb', 'format_character'],
    // Lookalike separators.
    ['a\\b', 'lookalike_separator'],
    ['a\uff0fb', 'lookalike_separator'],
    ['a\u2215b', 'lookalike_separator'],
    ['a\u2044b', 'lookalike_separator'],
    ['a\u29f8b', 'lookalike_separator'],
    ['a\uff3cb', 'lookalike_separator'],
    ['a\ufe68b', 'lookalike_separator'],
    // Dot components, after NFC and after NFKC.
    ['.', 'dot_component'],
    ['..', 'dot_component'],
    ['../x', 'dot_component'],
    ['a/../b', 'dot_component'],
    ['a/./b', 'dot_component'],
    ['a/..', 'dot_component'],
    ['...', 'dot_component'],
    ['.. ', 'dot_component'],
    ['. ', 'dot_component'],
    [' ', 'dot_component'],
    ['\uff0e\uff0e/x', 'dot_component'], // fullwidth full stops
    ['\u2025/x', 'dot_component'], // two-dot leader, NFKC `..`
    ['\u2024', 'dot_component'], // one-dot leader, NFKC `.`
    ['\ufe52\ufe52', 'dot_component'], // small full stops
    // Absolute paths.
    ['/abs', 'absolute'],
    ['/etc/passwd', 'absolute'],
    ['\\\\server\\share', 'absolute'],
    ['C:\\x', 'absolute'],
    ['C:/x', 'absolute'],
    ['c:x', 'absolute'],
    // Empty.
    ['', 'empty'],
    ['a//b', 'empty_component'],
    ['a/', 'empty_component'],
    // Not Unicode.
    ['a\ud800b', 'not_unicode'],
    ['a\udc00', 'not_unicode'],
    ['bad\ufffdname', 'not_unicode'],
    // Windows device names, any case, with an extension, with trailing dots or spaces.
    ['CON', 'reserved_name'],
    ['con.txt', 'reserved_name'],
    ['a/nul', 'reserved_name'],
    ['Aux.json', 'reserved_name'],
    ['prn.tar.gz', 'reserved_name'],
    ['COM1', 'reserved_name'],
    ['lpt9.bin', 'reserved_name'],
    ['com\u00b9', 'reserved_name'], // superscript one
    ['nul ', 'reserved_name'],
    ['nul .txt', 'reserved_name'],
    ['CONIN$', 'reserved_name'],
    // Lengths.
    ['a'.repeat(256), 'too_long'],
    ['é'.repeat(128), 'too_long'],
    [Array.from({ length: 25 }, () => 'd'.repeat(200)).join('/'), 'too_long'],
  ];

  it.each(table)('refuses %j by rule %s', (p, rule) => {
    const violation = checkPath(p);
    expect(violation?.rule).toBe(rule);
    expect(violation?.reason.length).toBeGreaterThan(0);
  });
});

describe('pathKey', () => {
  it('folds case and Unicode normalisation and drops trailing dots and spaces per component', () => {
    expect(pathKey('Model.ONNX')).toBe(pathKey('model.onnx'));
    expect(pathKey('caf\u00e9')).toBe(pathKey('cafe\u0301'));
    expect(pathKey('A./b ')).toBe(pathKey('a/b'));
    expect(pathKey('STRASSE')).toBe(pathKey('straße'));
    expect(pathKey('a/b')).not.toBe(pathKey('a/c'));
  });
});

describe('createPathSet / checkPaths', () => {
  it.each([
    [['Model.onnx', 'model.onnx'], 'case_collision'],
    [['README', 'readme'], 'case_collision'],
    [['caf\u00e9.bin', 'cafe\u0301.bin'], 'case_collision'],
    [['dir/A', 'DIR/a'], 'case_collision'],
    [['a', 'a.'], 'case_collision'],
    [['a', 'a/b'], 'file_directory_conflict'],
    [['a/b', 'a'], 'file_directory_conflict'],
    [['a/b/c', 'a/b'], 'file_directory_conflict'],
    [['A', 'a/b'], 'file_directory_conflict'],
    [['x/y/z', 'X/Y'], 'file_directory_conflict'],
    [['a', 'a'], 'duplicate'],
  ])('refuses %j by rule %s', (paths, rule) => {
    const problem = checkPaths(paths);
    expect(problem).toMatchObject({ kind: 'set', rule, path: paths[1], other: paths[0] });
  });

  it('accepts distinct names, siblings and shared folders', () => {
    expect(checkPaths(['a/b', 'a/c', 'a-b', 'a.b', 'ab/c', 'b/a/b', 'x'])).toBeNull();
  });

  it('reports a path that breaks a rule before set clashes', () => {
    expect(checkPaths(['ok', '.git/config'])).toMatchObject({
      kind: 'path',
      path: '.git/config',
      rule: 'git_component',
    });
  });

  it('stays linear: 20,000 paths in one set', () => {
    const set = createPathSet();
    for (let i = 0; i < 20_000; i++) expect(set.add(`d${i % 100}/f${i}.bin`)).toBeNull();
  });
});
