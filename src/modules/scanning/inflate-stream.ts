import { createGunzip, createInflate, createInflateRaw, type Inflate } from 'node:zlib';
import type { ContentScan, ContentScanner } from './scan-types.js';

export type Compression = 'deflate-raw' | 'gzip' | 'zlib';

const makers: Record<Compression, () => Inflate> = {
  'deflate-raw': createInflateRaw as () => Inflate,
  gzip: createGunzip as () => Inflate,
  zlib: createInflate,
};

/**
 * Decompresses on the fly into `inner`: each inflated chunk is scanned as it appears and then dropped, so a
 * compression bomb costs time, never memory. Corrupt data becomes an `unparseable` finding.
 */
export function inflateInto(compression: Compression, inner: ContentScanner): ContentScanner {
  const inflater = makers[compression]();
  let failure: string | null = null;
  inflater.on('data', (chunk: Buffer) => inner.push(chunk));
  const finished = new Promise<void>((resolve) => {
    inflater.on('end', resolve);
    inflater.on('error', (err) => {
      failure ??= err.message;
      resolve();
    });
  });
  return {
    push(chunk) {
      if (failure === null) inflater.write(chunk);
    },
    async end(): Promise<ContentScan> {
      inflater.end();
      await finished;
      const scan = await inner.end();
      if (failure === null) return scan;
      return {
        ...scan,
        findings: [
          ...scan.findings,
          {
            kind: 'unparseable',
            global: null,
            opcode: null,
            offset: 0,
            severity: 'medium',
            reason: `the ${compression} data is corrupt (${failure}); what follows the damage was not scanned`,
          },
        ],
      };
    },
  };
}
