import { describe, expect, it } from 'vitest';
import { pickleFindings } from '../../src/modules/scanning/content-scanner.js';
import { PickleScanner, type PickleScanResult } from '../../src/modules/scanning/pickle-scanner.js';
import {
  benignOrderedDict,
  concat,
  maliciousProtocol2,
  maliciousProtocol4,
  PickleBuilder,
  pushInChunks,
  u32,
} from './pickle-builder.js';

function scan(data: Uint8Array, sizes?: number[]): PickleScanResult {
  const scanner = new PickleScanner();
  if (sizes) pushInChunks(scanner, data, sizes);
  else scanner.push(data);
  return scanner.end();
}

const globals = (r: PickleScanResult) => r.imports.map((i) => `${i.module}.${i.name}`);

describe('PickleScanner', () => {
  it('finds a GLOBAL import in a protocol 2 pickle, with its opcode and offset', () => {
    const r = scan(maliciousProtocol2());
    expect(r.status).toBe('ok');
    expect(r.protocol).toBe(2);
    expect(r.imports).toEqual([{ module: 'os', name: 'system', opcode: 'GLOBAL', offset: 2, count: 1 }]);
    expect(r.calls).toBe(1);
    expect(pickleFindings(r)).toMatchObject([{ kind: 'global', global: 'os.system', severity: 'critical' }]);
  });

  it('resolves STACK_GLOBAL from memoized strings inside a protocol 4 FRAME', () => {
    const r = scan(maliciousProtocol4('subprocess', 'Popen'));
    expect(r.protocol).toBe(4);
    expect(r.imports).toMatchObject([{ module: 'subprocess', name: 'Popen', opcode: 'STACK_GLOBAL' }]);
  });

  it('resolves STACK_GLOBAL operands fetched back from the memo with BINGET, GET and LONG_BINGET', () => {
    for (const fetch of [
      (b: PickleBuilder) => b.binGet(0).binGet(1),
      (b: PickleBuilder) => b.get(0).get(1),
      (b: PickleBuilder) => b.longBinGet(0).longBinGet(1),
    ]) {
      const b = new PickleBuilder().proto(4).shortBinUnicode('builtins').memoize().shortBinUnicode('eval');
      b.memoize().pop().pop();
      const r = scan(fetch(b).stackGlobal().pop().emptyDict().stop().bytes());
      expect(globals(r)).toEqual(['builtins.eval']);
    }
  });

  it('follows the real stack, so a string pushed and popped cannot hide the operands', () => {
    const data = new PickleBuilder()
      .proto(4)
      .shortBinUnicode('os')
      .shortBinUnicode('system')
      .shortBinUnicode('collections')
      .pop()
      .stackGlobal()
      .stop()
      .bytes();
    expect(globals(scan(data))).toEqual(['os.system']);
  });

  it('reads every string opcode: BINUNICODE8, BINUNICODE, SHORT_BINSTRING, STRING and UNICODE', () => {
    const cases = [
      new PickleBuilder().binUnicode8('socket').binUnicode8('socket'),
      new PickleBuilder().binUnicode('socket').shortBinString('socket'),
      new PickleBuilder().string("'sock\\x65t'").unicode('\\u0073ocket'),
    ];
    for (const b of cases) {
      const r = scan(new PickleBuilder().proto(4).raw(b.bytes()).stackGlobal().stop().bytes());
      expect(globals(r)).toEqual(['socket.socket']);
    }
  });

  it('records INST as an import and a call', () => {
    const r = scan(new PickleBuilder().mark().string("'id'").inst('os', 'popen').stop().bytes());
    expect(r.imports).toMatchObject([{ module: 'os', name: 'popen', opcode: 'INST' }]);
    expect(r.calls).toBe(1);
  });

  it('reports nothing dangerous in a benign OrderedDict', () => {
    const r = scan(benignOrderedDict());
    expect(globals(r)).toEqual(['collections.OrderedDict']);
    expect(pickleFindings(r)).toEqual([]);
  });

  it('skips a 20 MiB BINBYTES payload without holding it, whatever the chunk sizes', () => {
    const payloadBytes = 20 * 1024 * 1024;
    const head = new PickleBuilder().proto(4).raw('B', u32(payloadBytes)).bytes();
    const tail = maliciousProtocol4().subarray(2);
    const block = new Uint8Array(64 * 1024).fill(0x63);
    const scanner = new PickleScanner();
    scanner.push(head);
    const before = process.memoryUsage().arrayBuffers;
    for (let sent = 0; sent < payloadBytes; sent += block.length) scanner.push(block);
    const grown = process.memoryUsage().arrayBuffers - before;
    scanner.push(new PickleBuilder().pop().raw(tail).bytes());
    const streamed = scanner.end();
    expect(grown).toBeLessThan(4 * 1024 * 1024);
    expect(globals(streamed)).toEqual(['os.system']);

    const whole = concat([
      head,
      new Uint8Array(payloadBytes).fill(0x63),
      new PickleBuilder().pop().raw(tail).bytes(),
    ]);
    const once = scan(whole);
    for (const sizes of [[1, 7, 4093], [65537], [3, 1 << 20, 2]]) expect(scan(whole, sizes)).toEqual(once);
    expect(once).toEqual(streamed);
  });

  it('gives identical results for a byte-at-a-time feed', () => {
    const data = concat([benignOrderedDict(), maliciousProtocol4()]);
    expect(scan(data, [1])).toEqual(scan(data));
  });

  it('keeps scanning after STOP, as PyTorch legacy files concatenate pickles', () => {
    const r = scan(concat([benignOrderedDict(), maliciousProtocol2()]));
    expect(r.pickles).toBe(2);
    expect(globals(r)).toEqual(['collections.OrderedDict', 'os.system']);
  });

  it('treats bytes after the last pickle that start no new pickle as trailing data', () => {
    const r = scan(concat([benignOrderedDict(), Uint8Array.of(0x10, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3)]));
    expect(r).toMatchObject({ status: 'ok', pickles: 1, trailingBytes: 11 });
    const garbage = scan(concat([benignOrderedDict(), Uint8Array.of(0x80, 2, 0, 0, 0)]));
    expect(garbage).toMatchObject({ status: 'ok', pickles: 1, trailingBytes: 5 });
  });

  it('reports a truncated pickle as unparseable and keeps what it found before the cut', () => {
    const data = maliciousProtocol2();
    const r = scan(data.subarray(0, data.length - 3));
    expect(r.status).toBe('unparseable');
    expect(globals(r)).toEqual(['os.system']);
    const findings = pickleFindings(r);
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([
      ['global', 'critical'],
      ['unparseable', 'medium'],
    ]);
  });

  it('reports an unknown opcode mid-stream and an unsupported protocol as unparseable', () => {
    expect(scan(Uint8Array.of(0x80, 2, 0xff)).status).toBe('unparseable');
    expect(scan(Uint8Array.of(0x80, 6, 0x2e)).reason).toMatch(/unsupported pickle protocol 6/);
    expect(scan(new PickleBuilder().proto(2).pop().stop().bytes()).reason).toMatch(/stack empty/);
  });

  it('says not-pickle when the first byte is no opcode, or the input is empty', () => {
    expect(scan(Uint8Array.of(0x00, 1, 2)).status).toBe('not-pickle');
    expect(scan(new Uint8Array(0)).status).toBe('not-pickle');
  });

  it('flags STACK_GLOBAL operands it cannot resolve, and copyreg extension codes', () => {
    const unresolved = scan(new PickleBuilder().proto(4).binInt1(1).binInt1(2).stackGlobal().stop().bytes());
    expect(pickleFindings(unresolved)).toMatchObject([{ kind: 'unresolved-global', severity: 'high' }]);
    const ext = scan(new PickleBuilder().proto(2).raw(0x82, 7).stop().bytes());
    expect(pickleFindings(ext)).toMatchObject([{ kind: 'extension-code', severity: 'medium' }]);
  });

  it('counts repeated imports once, with the first offset', () => {
    const b = new PickleBuilder().proto(2).global('os', 'system').pop().global('os', 'system').stop();
    expect(scan(b.bytes()).imports).toEqual([
      { module: 'os', name: 'system', opcode: 'GLOBAL', offset: 2, count: 2 },
    ]);
  });
});
