/**
 * How each pickle opcode (protocols 0–5, as listed in CPython's Lib/pickletools.py) carries its argument:
 * nothing, a fixed number of little-endian bytes, one or two newline-terminated lines, or a length
 * prefix (1, 4 or 8 bytes) followed by that many payload bytes.
 */
export type OpArg =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly bytes: 1 | 2 | 4 | 8 }
  | { readonly kind: 'line'; readonly lines: 1 | 2 }
  | { readonly kind: 'counted'; readonly prefix: 1 | 4 | 8; readonly signed?: boolean };

export interface OpInfo {
  readonly name: string;
  readonly arg: OpArg;
}

const none = { kind: 'none' } as const;
const fixed = (bytes: 1 | 2 | 4 | 8) => ({ kind: 'fixed', bytes }) as const;
const line = { kind: 'line', lines: 1 } as const;
const twoLines = { kind: 'line', lines: 2 } as const;
const counted = (prefix: 1 | 4 | 8, signed = false) => ({ kind: 'counted', prefix, signed }) as const;

const table: [string, string, OpArg][] = [
  ['(', 'MARK', none],
  ['.', 'STOP', none],
  ['0', 'POP', none],
  ['1', 'POP_MARK', none],
  ['2', 'DUP', none],
  ['F', 'FLOAT', line],
  ['I', 'INT', line],
  ['J', 'BININT', fixed(4)],
  ['K', 'BININT1', fixed(1)],
  ['L', 'LONG', line],
  ['M', 'BININT2', fixed(2)],
  ['N', 'NONE', none],
  ['P', 'PERSID', line],
  ['Q', 'BINPERSID', none],
  ['R', 'REDUCE', none],
  ['S', 'STRING', line],
  ['T', 'BINSTRING', counted(4, true)],
  ['U', 'SHORT_BINSTRING', counted(1)],
  ['V', 'UNICODE', line],
  ['X', 'BINUNICODE', counted(4)],
  ['a', 'APPEND', none],
  ['b', 'BUILD', none],
  ['c', 'GLOBAL', twoLines],
  ['d', 'DICT', none],
  ['}', 'EMPTY_DICT', none],
  ['e', 'APPENDS', none],
  ['g', 'GET', line],
  ['h', 'BINGET', fixed(1)],
  ['i', 'INST', twoLines],
  ['j', 'LONG_BINGET', fixed(4)],
  ['l', 'LIST', none],
  [']', 'EMPTY_LIST', none],
  ['o', 'OBJ', none],
  ['p', 'PUT', line],
  ['q', 'BINPUT', fixed(1)],
  ['r', 'LONG_BINPUT', fixed(4)],
  ['s', 'SETITEM', none],
  ['t', 'TUPLE', none],
  [')', 'EMPTY_TUPLE', none],
  ['u', 'SETITEMS', none],
  ['G', 'BINFLOAT', fixed(8)],
  ['\x80', 'PROTO', fixed(1)],
  ['\x81', 'NEWOBJ', none],
  ['\x82', 'EXT1', fixed(1)],
  ['\x83', 'EXT2', fixed(2)],
  ['\x84', 'EXT4', fixed(4)],
  ['\x85', 'TUPLE1', none],
  ['\x86', 'TUPLE2', none],
  ['\x87', 'TUPLE3', none],
  ['\x88', 'NEWTRUE', none],
  ['\x89', 'NEWFALSE', none],
  ['\x8a', 'LONG1', counted(1)],
  ['\x8b', 'LONG4', counted(4, true)],
  ['B', 'BINBYTES', counted(4)],
  ['C', 'SHORT_BINBYTES', counted(1)],
  ['\x8c', 'SHORT_BINUNICODE', counted(1)],
  ['\x8d', 'BINUNICODE8', counted(8)],
  ['\x8e', 'BINBYTES8', counted(8)],
  ['\x8f', 'EMPTY_SET', none],
  ['\x90', 'ADDITEMS', none],
  ['\x91', 'FROZENSET', none],
  ['\x92', 'NEWOBJ_EX', none],
  ['\x93', 'STACK_GLOBAL', none],
  ['\x94', 'MEMOIZE', none],
  ['\x95', 'FRAME', fixed(8)],
  ['\x96', 'BYTEARRAY8', counted(8)],
  ['\x97', 'NEXT_BUFFER', none],
  ['\x98', 'READONLY_BUFFER', none],
];

/** Opcode byte → name and argument layout; a byte missing here is not a pickle opcode. */
export const opcodes: ReadonlyMap<number, OpInfo> = new Map(
  table.map(([ch, name, arg]) => [ch.charCodeAt(0), { name, arg }]),
);

export const PROTO = 0x80;
export const HIGHEST_PROTOCOL = 5;

/** The bytes break the pickle format: the scanner reads no further. */
export class PickleFormatError extends Error {}
