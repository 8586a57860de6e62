import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileScanner, type FileScanResult, scanModelPath } from '../../src/modules/scanning/index.js';
import {
  benignOrderedDict,
  concat,
  maliciousProtocol2,
  maliciousProtocol4,
  pushInChunks,
} from './pickle-builder.js';
import { buildZip } from './zip-builder.js';

async function scanBytes(name: string, data: Uint8Array, sizes = [4096]): Promise<FileScanResult | null> {
  const scanner = createFileScanner(name);
  if (!scanner) return null;
  pushInChunks(scanner, data, sizes);
  return scanner.end();
}

function npy(descr: string, body: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (1,), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const prefix = new Uint8Array(10);
  prefix.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(prefix.buffer).setUint16(8, header.length, true);
  return concat([prefix, new TextEncoder().encode(header), body]);
}

describe('createFileScanner', () => {
  it('skips names no loader unpickles, and sniffs everything else', () => {
    expect(createFileScanner('model.safetensors')).toBeNull();
    expect(createFileScanner('config.json')).toBeNull();
    expect(createFileScanner('model.onnx')).toBeNull();
    for (const name of ['a.pkl', 'b.pt', 'c.pth', 'd.joblib', 'e.ckpt', 'f.bin', 'g.npy', 'weights']) {
      expect(createFileScanner(name)).not.toBeNull();
    }
  });

  it('reports a .bin that is not a pickle as not-pickle, with no findings', async () => {
    const random = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 251);
    expect(await scanBytes('pytorch_model.bin', random)).toEqual({
      path: 'pytorch_model.bin',
      format: 'not-pickle',
      severity: 'none',
      findings: [],
    });
  });

  it('scans a .bin or extension-less file that is a protocol 2+ pickle', async () => {
    expect(await scanBytes('training_args.bin', maliciousProtocol2())).toMatchObject({
      format: 'pickle',
      severity: 'critical',
      findings: [{ kind: 'global', global: 'os.system', opcode: 'GLOBAL', offset: 2 }],
    });
    expect((await scanBytes('weights', maliciousProtocol4()))?.severity).toBe('critical');
  });

  it('calls a broken .pkl unparseable (medium) but a benign one clean', async () => {
    expect(await scanBytes('model.pkl', benignOrderedDict())).toMatchObject({
      format: 'pickle',
      severity: 'none',
    });
    const cut = await scanBytes('model.pkl', benignOrderedDict().subarray(0, 10));
    expect(cut).toMatchObject({ severity: 'medium', findings: [{ kind: 'unparseable' }] });
  });

  it.each(['stored', 'deflate'] as const)(
    'finds a malicious global in archive/data.pkl of a %s PyTorch zip',
    async (method) => {
      const zip = buildZip([
        { name: 'archive/data.pkl', data: maliciousProtocol2(), method },
        { name: 'archive/data/0', data: new Uint8Array(100_000).fill(0x80), method },
        { name: 'archive/version', data: new TextEncoder().encode('3\n'), method },
      ]);
      for (const sizes of [[1], [13, 4096], [zip.length]]) {
        expect(await scanBytes('model.pt', zip, sizes)).toEqual({
          path: 'model.pt',
          format: 'torch-zip',
          severity: 'critical',
          findings: [
            {
              kind: 'global',
              global: 'os.system',
              opcode: 'GLOBAL',
              offset: 2,
              member: 'archive/data.pkl',
              severity: 'critical',
              reason: expect.any(String),
            },
          ],
        });
      }
    },
  );

  it('reports a benign PyTorch zip as clean, and a zip with a data descriptor as unparseable', async () => {
    const benign = buildZip([{ name: 'archive/data.pkl', data: benignOrderedDict() }]);
    expect(await scanBytes('model.pt', benign)).toMatchObject({ format: 'torch-zip', severity: 'none' });
    const streamed = buildZip([
      { name: 'archive/data.pkl', data: benignOrderedDict(), dataDescriptor: true },
    ]);
    expect(await scanBytes('model.pt', streamed)).toMatchObject({
      severity: 'medium',
      findings: [{ kind: 'unparseable', reason: expect.stringMatching(/data descriptor/) }],
    });
  });

  it('scans the pickle of an object .npy (also inside an .npz) and skips numeric ones', async () => {
    expect(await scanBytes('arr.npy', npy('|O', maliciousProtocol4('builtins', 'exec')))).toMatchObject({
      format: 'numpy',
      severity: 'critical',
    });
    expect(await scanBytes('arr.npy', npy('<f4', new Uint8Array(4)))).toMatchObject({
      format: 'numpy',
      severity: 'none',
    });
    const npz = buildZip([{ name: 'x.npy', data: npy('|O', maliciousProtocol2()), method: 'deflate' }]);
    expect(await scanBytes('arrays.npz', npz)).toMatchObject({ format: 'zip', severity: 'critical' });
  });

  it('decompresses a gzip-compressed joblib file as it streams', async () => {
    const data = new Uint8Array(gzipSync(maliciousProtocol2()));
    expect(await scanBytes('model.joblib', data, [5])).toMatchObject({
      format: 'compressed-pickle',
      severity: 'critical',
    });
  });
});

describe('scanModelPath', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'warden-scan-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scans a model folder into an attestation whose severity is the maximum', async () => {
    await mkdir(path.join(dir, 'sub'));
    await writeFile(path.join(dir, 'config.json'), '{}');
    await writeFile(path.join(dir, 'model.pkl'), benignOrderedDict());
    await writeFile(path.join(dir, 'sub', 'evil.pt'), maliciousProtocol4('builtins', 'eval'));
    await writeFile(path.join(dir, 'ignored.pkl'), maliciousProtocol2());
    const now = new Date('2026-01-02T03:04:05Z');
    const attestation = await scanModelPath(dir, { ignorePaths: ['ignored.pkl'], now });
    expect(attestation).toMatchObject({
      scanner: 'warden-pickle-scan',
      version: 1,
      scannedAt: '2026-01-02T03:04:05.000Z',
      severity: 'critical',
      files: [
        { path: 'model.pkl', format: 'pickle', severity: 'none', findings: [] },
        {
          path: 'sub/evil.pt',
          format: 'pickle',
          severity: 'critical',
          findings: [{ global: 'builtins.eval' }],
        },
      ],
    });
  });

  it('names a single-file model by its file name', async () => {
    const file = path.join(dir, 'model.pkl');
    await writeFile(file, benignOrderedDict());
    const attestation = await scanModelPath(file);
    expect(attestation.files).toMatchObject([{ path: 'model.pkl', severity: 'none' }]);
  });
});
