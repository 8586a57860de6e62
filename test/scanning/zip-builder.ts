import { crc32, deflateRawSync } from 'node:zlib';
import { concat } from './pickle-builder.js';

export interface ZipMember {
  name: string;
  data: Uint8Array;
  method?: 'stored' | 'deflate';
  /** Write sizes after the data (general purpose flag bit 3) instead of in the local header. */
  dataDescriptor?: boolean;
}

/** A minimal ZIP writer (local headers, central directory, end record), enough to build PyTorch-style archives. */
export function buildZip(members: ZipMember[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = new TextEncoder().encode(m.name);
    const method = m.method === 'deflate' ? 8 : 0;
    const body = method === 8 ? new Uint8Array(deflateRawSync(m.data)) : m.data;
    const crc = crc32(m.data);
    const flags = m.dataDescriptor ? 0x8 : 0;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, flags, true);
    local.setUint16(8, method, true);
    local.setUint32(14, m.dataDescriptor ? 0 : crc, true);
    local.setUint32(18, m.dataDescriptor ? 0 : body.length, true);
    local.setUint32(22, m.dataDescriptor ? 0 : m.data.length, true);
    local.setUint16(26, name.length, true);
    const descriptor = new DataView(new ArrayBuffer(m.dataDescriptor ? 16 : 0));
    if (m.dataDescriptor) {
      descriptor.setUint32(0, 0x08074b50, true);
      descriptor.setUint32(4, crc, true);
      descriptor.setUint32(8, body.length, true);
      descriptor.setUint32(12, m.data.length, true);
    }
    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);
    central.setUint16(6, 20, true);
    central.setUint16(8, flags, true);
    central.setUint16(10, method, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, body.length, true);
    central.setUint32(24, m.data.length, true);
    central.setUint16(28, name.length, true);
    central.setUint32(42, offset, true);
    const parts = [new Uint8Array(local.buffer), name, body, new Uint8Array(descriptor.buffer)];
    locals.push(...parts);
    centrals.push(new Uint8Array(central.buffer), name);
    offset += parts.reduce((n, p) => n + p.length, 0);
  }
  const directory = concat(centrals);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, members.length, true);
  end.setUint16(10, members.length, true);
  end.setUint32(12, directory.length, true);
  end.setUint32(16, offset, true);
  return concat([...locals, directory, new Uint8Array(end.buffer)]);
}
