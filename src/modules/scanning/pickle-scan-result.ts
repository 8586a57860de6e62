import { MAX_ANOMALIES, MAX_IMPORTS } from './pickle-limits.js';

export type ImportOpcode = 'GLOBAL' | 'INST' | 'STACK_GLOBAL';

/** One global the pickle would import (`module.name`), at the first offset it appears; `count` is how often. */
export interface PickleImport {
  module: string;
  name: string;
  opcode: ImportOpcode;
  offset: number;
  count: number;
}

export type PickleAnomalyKind = 'unresolved-global' | 'extension-code' | 'limit';

export interface PickleAnomaly {
  kind: PickleAnomalyKind;
  opcode: string | null;
  offset: number;
  detail: string;
}

export interface PickleScanResult {
  /** `not-pickle`: the first byte is no pickle opcode. `unparseable`: malformed or cut off; `reason` says where. */
  status: 'ok' | 'unparseable' | 'not-pickle';
  reason: string | null;
  /** Where parsing stopped, for `unparseable`. */
  failedAt: number | null;
  /** The highest protocol a PROTO opcode announced; null for protocol 0/1 pickles, which have none. */
  protocol: number | null;
  /** Pickles read to their STOP (PyTorch's legacy format concatenates several). */
  pickles: number;
  opcodes: number;
  /** REDUCE, BUILD, NEWOBJ, NEWOBJ_EX, OBJ and INST: the opcodes that run code of an imported global. */
  calls: number;
  bytes: number;
  /** Bytes after the last pickle that do not start another one (PyTorch legacy files keep raw tensors there). */
  trailingBytes: number;
  imports: PickleImport[];
  anomalies: PickleAnomaly[];
}

/**
 * Builds a PickleScanResult as the scan goes. Counters are bumped on `result` directly; imports are
 * deduplicated by `module.name`, and imports and anomalies stop growing at their caps.
 */
export class PickleScanRecorder {
  readonly result: PickleScanResult = {
    status: 'ok',
    reason: null,
    failedAt: null,
    protocol: null,
    pickles: 0,
    opcodes: 0,
    calls: 0,
    bytes: 0,
    trailingBytes: 0,
    imports: [],
    anomalies: [],
  };
  private readonly imports = new Map<string, PickleImport>();
  private importsCapped = false;

  recordImport(module: string, name: string, opcode: ImportOpcode, offset: number): void {
    const key = `${module}\n${name}`;
    const known = this.imports.get(key);
    if (known) known.count++;
    else if (this.imports.size < MAX_IMPORTS) {
      this.imports.set(key, { module, name, opcode, offset, count: 1 });
    } else if (!this.importsCapped) {
      this.importsCapped = true;
      this.anomaly(
        'limit',
        opcode,
        offset,
        `more than ${MAX_IMPORTS} distinct globals; the rest are not listed`,
      );
    }
  }

  anomaly(kind: PickleAnomalyKind, opcode: string | null, offset: number, detail: string): void {
    const list = this.result.anomalies;
    if (list.length < MAX_ANOMALIES) list.push({ kind, opcode, offset, detail });
  }

  notPickle(reason: string): void {
    this.result.status = 'not-pickle';
    this.result.reason = reason;
  }

  unparseable(reason: string, at: number): void {
    this.result.status = 'unparseable';
    this.result.reason = reason;
    this.result.failedAt = at;
  }

  /** Completes the result at the end of the data; `trailingFrom` is where trailing non-pickle bytes start. */
  finish(trailingFrom: number | null): void {
    if (trailingFrom !== null) this.result.trailingBytes = this.result.bytes - trailingFrom;
    this.result.imports = [...this.imports.values()];
  }
}
