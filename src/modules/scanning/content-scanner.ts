import { classifyGlobal } from './dangerous-globals.js';
import { inflateInto } from './inflate-stream.js';
import { scanNpy } from './npy-scanner.js';
import { PROTO } from './pickle-opcodes.js';
import { PickleScanner, type PickleScanResult } from './pickle-scanner.js';
import type { ContentScanner, ScanFinding } from './scan-types.js';
import { type ZipEntry, ZipStreamWalker } from './zip-stream.js';

export type { ContentScan, ContentScanner } from './scan-types.js';

/**
 * `strong`: the name says pickle (.pkl, .pt, …), so anything that does not parse is a finding. `weak`: only
 * content that parses as a pickle, or holds a global, counts; other bytes are `not-pickle`.
 */
export type PickleMode = 'strong' | 'weak';

const SNIFF_BYTES = 8;
const MAX_DEPTH = 2;
const pickleMember = /\.(pkl|pickle)$/i;
const scannedMember = /\.(pkl|pickle|npy)$/i;

const startsWith = (head: Uint8Array, bytes: number[]) => bytes.every((b, i) => head[i] === b);

/** Sniffs the first bytes (pickle, ZIP, .npy, gzip/zlib) and scans the rest with the matching reader. */
export function createContentScanner(mode: PickleMode, depth = 0): ContentScanner {
  let head = new Uint8Array(0);
  let inner: ContentScanner | null = null;
  const choose = (): ContentScanner => {
    const chosen = pickFor(head, mode, depth);
    chosen.push(head);
    inner = chosen;
    return chosen;
  };
  return {
    push(chunk) {
      if (inner) return inner.push(chunk);
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      head = joined;
      if (head.length >= SNIFF_BYTES) choose();
    },
    end: () => (inner ?? choose()).end(),
  };
}

function pickFor(head: Uint8Array, mode: PickleMode, depth: number): ContentScanner {
  const nested = depth < MAX_DEPTH;
  if (nested && startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return zipScanner(depth);
  if (startsWith(head, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return scanNpy(() => pickleScanner('strong'));
  const protocol = head[1] ?? 0;
  if (head[0] === PROTO && protocol >= 2 && protocol <= 5) return pickleScanner('strong');
  if (nested && mode === 'strong' && startsWith(head, [0x1f, 0x8b])) return compressed('gzip', depth);
  if (nested && mode === 'strong' && head[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(head[1] ?? -1)) {
    return compressed('zlib', depth);
  }
  return pickleScanner(mode);
}

function compressed(kind: 'gzip' | 'zlib', depth: number): ContentScanner {
  const inner = createContentScanner('strong', depth + 1);
  const scanner = inflateInto(kind, inner);
  return {
    push: (chunk) => scanner.push(chunk),
    async end() {
      const scan = await scanner.end();
      return { ...scan, format: scan.format === 'pickle' ? 'compressed-pickle' : scan.format };
    },
  };
}

function pickleScanner(mode: PickleMode): ContentScanner {
  const scanner = new PickleScanner();
  return {
    push: (chunk) => scanner.push(chunk),
    async end() {
      const result = scanner.end();
      const findings = pickleFindings(result);
      const looksLikePickle = result.status === 'ok' || result.imports.length + result.anomalies.length > 0;
      if (result.status === 'not-pickle' || (mode === 'weak' && !looksLikePickle)) {
        return { format: 'not-pickle', findings: [] };
      }
      return { format: 'pickle', findings };
    },
  };
}

const anomalySeverity = { 'unresolved-global': 'high', 'extension-code': 'medium', limit: 'medium' } as const;

/** Turns what the opcode walk saw into findings; globals on the allow list produce none. */
export function pickleFindings(result: PickleScanResult): ScanFinding[] {
  const findings: ScanFinding[] = [];
  for (const imp of result.imports) {
    const verdict = classifyGlobal(imp.module, imp.name);
    if (verdict.severity === 'none') continue;
    const global = `${imp.module}.${imp.name}`;
    findings.push({ kind: 'global', global, opcode: imp.opcode, offset: imp.offset, ...verdict });
  }
  for (const a of result.anomalies) {
    const severity = anomalySeverity[a.kind];
    findings.push({
      kind: a.kind,
      global: null,
      opcode: a.opcode,
      offset: a.offset,
      severity,
      reason: a.detail,
    });
  }
  if (result.status === 'unparseable') {
    findings.push({
      kind: 'unparseable',
      global: null,
      opcode: null,
      offset: result.failedAt ?? result.bytes,
      severity: 'medium',
      reason: `${result.reason ?? 'malformed pickle'}; the rest of the file was not scanned`,
    });
  }
  return findings;
}

function zipScanner(depth: number): ContentScanner {
  const members: Promise<ScanFinding[]>[] = [];
  let torch = false;
  const onEntry = (entry: ZipEntry) => {
    if (/(^|\/)data\.pkl$/.test(entry.name)) torch = true;
    if (!scannedMember.test(entry.name)) return null;
    if (entry.method !== 0 && entry.method !== 8) {
      const reason = `compression method ${entry.method} is not supported, so the member was not scanned`;
      const finding: ScanFinding = {
        kind: 'not-scanned',
        global: null,
        opcode: null,
        offset: 0,
        severity: 'medium',
        reason,
      };
      members.push(Promise.resolve([{ ...finding, member: entry.name }]));
      return null;
    }
    const plain = createContentScanner(pickleMember.test(entry.name) ? 'strong' : 'weak', depth + 1);
    const scanner = entry.method === 8 ? inflateInto('deflate-raw', plain) : plain;
    return {
      push: (chunk: Uint8Array) => scanner.push(chunk),
      end: () => {
        members.push(scanner.end().then((scan) => scan.findings.map((f) => ({ ...f, member: entry.name }))));
      },
    };
  };
  const walker = new ZipStreamWalker(onEntry);
  return {
    push: (chunk) => walker.push(chunk),
    async end() {
      const walked = walker.end();
      const findings = (await Promise.all(members)).flat();
      if (walked.status === 'unparseable') {
        const reason = `${walked.reason ?? 'malformed archive'}; later members were not scanned`;
        findings.push({
          kind: 'unparseable',
          global: null,
          opcode: null,
          offset: 0,
          severity: 'medium',
          reason,
        });
      }
      return { format: torch ? 'torch-zip' : 'zip', findings };
    },
  };
}
