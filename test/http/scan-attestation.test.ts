import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModel, push } from '../fixtures/http-helpers.js';
import { createTestApp, type TestApp } from '../fixtures/test-app.js';
import { benignOrderedDict, maliciousProtocol2, maliciousProtocol4 } from '../scanning/pickle-builder.js';

const iris = readFileSync(new URL('../../examples/iris/model/iris.onnx', import.meta.url));

describe('the pickle-scan attestation recorded on a pushed version', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await createModel(t, 'scanned');
  });
  afterAll(async () => t.close());

  it('records critical findings for a pickle that imports os.system, naming the file and the global', async () => {
    const version = await push(t, 'scanned', { kind: 'directory' }, [
      { path: 'weights.pkl', content: Buffer.from(maliciousProtocol4()) },
      { path: 'README.txt', content: 'notes' },
    ]);
    expect(version.scan).toMatchObject({ scanner: 'warden-pickle-scan', version: 1, severity: 'critical' });
    expect(version.scan.files).toHaveLength(1);
    expect(version.scan.files[0]).toMatchObject({
      path: 'weights.pkl',
      format: 'pickle',
      severity: 'critical',
    });
    expect(version.scan.files[0].findings.map((f: { global: string | null }) => f.global)).toContain(
      'os.system',
    );
    // The attestation is part of the version: it reads back the same, and the version was still published.
    const read = await t.app.inject({
      method: 'GET',
      url: `/api/v1/models/scanned/versions/${version.number}`,
    });
    expect(read.json().scan).toEqual(version.scan);
  });

  it('records a protocol-2 GLOBAL import in a .bin file with pickle content', async () => {
    const version = await push(t, 'scanned', { kind: 'file' }, [
      { path: 'pytorch_model.bin', content: Buffer.from(maliciousProtocol2()) },
    ]);
    expect(version.scan.severity).toBe('critical');
  });

  it('records severity none for a benign pickle', async () => {
    const version = await push(t, 'scanned', { kind: 'file' }, [
      { path: 'state.pkl', content: Buffer.from(benignOrderedDict()) },
    ]);
    expect(version.scan).toMatchObject({
      severity: 'none',
      files: [{ path: 'state.pkl', severity: 'none', findings: [] }],
    });
  });

  it('records no attestation when no file could hold a pickle', async () => {
    const version = await push(t, 'scanned', { kind: 'file' }, [{ path: 'iris.onnx', content: iris }]);
    expect(version.scan).toBeNull();
  });
});
