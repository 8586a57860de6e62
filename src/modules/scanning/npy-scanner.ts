import type { ContentScan, ContentScanner } from './scan-types.js';

// numpy refuses headers past 10,000 bytes unless told otherwise; this is generous and still bounded.
const MAX_HEADER = 1024 * 1024;
// An object dtype anywhere in the header (alone or inside a structured dtype) means the data is a pickle.
const objectDtype = /['"][|<>=]?O\d*['"]/;

/**
 * A `.npy` file: magic, version, header length, then a Python-literal header. Arrays of objects are stored
 * as a pickle after the header, which goes to `pickleScanner`; numeric data is only counted past.
 */
export function scanNpy(pickleScanner: () => ContentScanner): ContentScanner {
  let prefix = new Uint8Array(0);
  let headerEnd: number | null = null;
  let inner: ContentScanner | null = null;
  let failure: string | null = null;
  let skipping = false;
  const decide = () => {
    const major = prefix[6] ?? 0;
    const lengthBytes = major >= 2 ? 4 : 2;
    if (prefix.length < 8 + lengthBytes) return;
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    const length = lengthBytes === 4 ? view.getUint32(8, true) : view.getUint16(8, true);
    if (length > MAX_HEADER) {
      failure = `the .npy header is ${length} bytes, over the ${MAX_HEADER}-byte limit`;
      return;
    }
    headerEnd = 8 + lengthBytes + length;
    if (prefix.length < headerEnd) return;
    const header = new TextDecoder('latin1').decode(prefix.subarray(8 + lengthBytes, headerEnd));
    if (objectDtype.test(header)) {
      inner = pickleScanner();
      inner.push(prefix.subarray(headerEnd));
    } else {
      skipping = true;
    }
    prefix = new Uint8Array(0);
  };
  return {
    push(chunk) {
      if (inner) return inner.push(chunk);
      if (skipping || failure) return;
      const joined = new Uint8Array(prefix.length + chunk.length);
      joined.set(prefix);
      joined.set(chunk, prefix.length);
      prefix = joined;
      decide();
    },
    async end(): Promise<ContentScan> {
      if (inner) {
        const scan = await (inner as ContentScanner).end();
        return { format: 'numpy', findings: scan.findings };
      }
      if (skipping) return { format: 'numpy', findings: [] };
      const reason = failure ?? 'the .npy header is cut off';
      return {
        format: 'numpy',
        findings: [
          { kind: 'unparseable', global: null, opcode: null, offset: 0, severity: 'medium', reason },
        ],
      };
    },
  };
}
