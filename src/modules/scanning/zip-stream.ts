export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; others are reported, not read. */
  method: number;
  compressedSize: number;
  size: number;
  /** Where the entry's local header starts in the archive. */
  offset: number;
}

/** Receives one entry's (still compressed) bytes; end() is called once they have all been pushed. */
export interface ZipEntrySink {
  push(chunk: Uint8Array): void;
  end(): void;
}

export interface ZipWalkResult {
  status: 'ok' | 'unparseable';
  reason: string | null;
  entries: number;
}

const LOCAL = 0x04034b50;
// Central directory, zip64 end records, end of central directory, archive extra data: no more entries.
const TAIL = new Set([0x02014b50, 0x06064b50, 0x07064b50, 0x06054b50, 0x08064b50]);
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const U32_MAX = 0xffff_ffff;
const HEADER_BYTES = 30;

type Phase = 'header' | 'names' | 'data' | 'done' | 'halted';

/**
 * Walks a ZIP archive front to back through its local headers, as the bytes arrive, so an upload needs no
 * seek back to the central directory. Entry data goes to the sink `onEntry` returns, or is counted past.
 */
export class ZipStreamWalker {
  private phase: Phase = 'header';
  private readonly header = new Uint8Array(HEADER_BYTES);
  private have = 0;
  private names = new Uint8Array(0);
  private offset = 0;
  private entryOffset = 0;
  private entry: ZipEntry | null = null;
  private sink: ZipEntrySink | null = null;
  private left = 0;
  private readonly result: ZipWalkResult = { status: 'ok', reason: null, entries: 0 };

  constructor(private readonly onEntry: (entry: ZipEntry) => ZipEntrySink | null) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.phase !== 'done' && this.phase !== 'halted') {
      if (this.phase === 'data') {
        const n = Math.min(this.left, chunk.length - i);
        this.sink?.push(chunk.subarray(i, i + n));
        this.left -= n;
        i += n;
        this.offset += n;
        if (this.left === 0) this.endEntry();
        continue;
      }
      const target = this.phase === 'header' ? this.header : this.names;
      const need = this.phase === 'header' && this.have < 4 ? 4 : target.length;
      const n = Math.min(need - this.have, chunk.length - i);
      target.set(chunk.subarray(i, i + n), this.have);
      this.have += n;
      i += n;
      this.offset += n;
      if (this.have < need) continue;
      if (this.phase === 'header') this.onHeader();
      else this.onNames();
    }
  }

  end(): ZipWalkResult {
    if (this.phase === 'header' && this.have === 0 && this.result.entries === 0) {
      this.fail('the archive is empty');
    } else if (this.phase !== 'done' && this.phase !== 'halted') {
      this.fail(`the archive ends inside an entry, after ${this.offset} bytes`);
    }
    return this.result;
  }

  private onHeader(): void {
    const view = new DataView(this.header.buffer);
    if (this.have === 4) {
      const sig = view.getUint32(0, true);
      if (TAIL.has(sig)) this.phase = 'done';
      else if (sig !== LOCAL)
        this.fail(`unexpected signature 0x${sig.toString(16)} at offset ${this.offset - 4}`);
      return;
    }
    this.entryOffset = this.offset - HEADER_BYTES;
    this.names = new Uint8Array(view.getUint16(26, true) + view.getUint16(28, true));
    this.have = 0;
    this.phase = 'names';
    if (this.names.length === 0) this.onNames();
  }

  private onNames(): void {
    const view = new DataView(this.header.buffer);
    const flags = view.getUint16(6, true);
    const nameLength = view.getUint16(26, true);
    const name = new TextDecoder().decode(this.names.subarray(0, nameLength));
    let compressedSize = view.getUint32(18, true);
    let size = view.getUint32(22, true);
    if (compressedSize === U32_MAX || size === U32_MAX) {
      const zip64 = readZip64(this.names.subarray(nameLength), size === U32_MAX, compressedSize === U32_MAX);
      if (!zip64) {
        this.fail(`entry ${JSON.stringify(name)} has no zip64 sizes`);
        return;
      }
      ({ size, compressedSize } = {
        size: zip64.size ?? size,
        compressedSize: zip64.compressedSize ?? compressedSize,
      });
    }
    if (flags & FLAG_ENCRYPTED) {
      this.fail(`entry ${JSON.stringify(name)} is encrypted`);
      return;
    }
    if (flags & FLAG_DATA_DESCRIPTOR) {
      // The length comes after the data, so a front-to-back reader cannot tell where the entry ends.
      this.fail(`entry ${JSON.stringify(name)} gives its length only after its data (a data descriptor)`);
      return;
    }
    this.entry = { name, method: view.getUint16(8, true), compressedSize, size, offset: this.entryOffset };
    this.result.entries++;
    this.sink = this.onEntry(this.entry);
    this.left = compressedSize;
    this.phase = 'data';
    if (this.left === 0) this.endEntry();
  }

  private endEntry(): void {
    this.sink?.end();
    this.sink = null;
    this.entry = null;
    this.have = 0;
    this.phase = 'header';
  }

  private fail(reason: string): void {
    this.phase = 'halted';
    this.result.status = 'unparseable';
    this.result.reason = reason;
  }
}

function readZip64(
  extra: Uint8Array,
  wantSize: boolean,
  wantCompressed: boolean,
): { size?: number; compressedSize?: number } | null {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (id === 0x0001 && at + 4 + length <= extra.length) {
      const u64 = (k: number) => Number(view.getBigUint64(at + 4 + 8 * k, true));
      // A local header's zip64 record must hold both sizes; tolerate writers that only give the flagged one.
      if (length >= 16) return { size: u64(0), compressedSize: u64(1) };
      if (length >= 8) return wantSize ? { size: u64(0) } : wantCompressed ? { compressedSize: u64(0) } : {};
      return null;
    }
    at += 4 + length;
  }
  return null;
}
