import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { modelSigningVectors } from '../../../test/fixtures/interop/model-signing-vectors.js';
import { digestModel } from './digest-model.js';

const interop = modelSigningVectors;

interface Statement {
  subject: { name: string; digest: { sha256: string } }[];
  predicate: {
    resources: { name: string; digest: string; algorithm: string }[];
    serialization: { ignore_paths?: string[] };
  };
}

async function statementOf(folder: string): Promise<Statement> {
  const bundle = JSON.parse(await readFile(`${interop}${folder}/model.sig`, 'utf8'));
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
}

describe('digestModel (interop with the reference model_signing)', () => {
  it('reproduces the v1.1.0 directory manifest and root digest', async () => {
    const statement = await statementOf('v1.1.0-elliptic-key');
    const model = await digestModel(`${interop}v1.1.0-elliptic-key`, { ignorePaths: ['ignore-me'] });
    expect(model.rootDigest).toBe('92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
    expect(model.rootDigest).toBe(statement.subject[0]!.digest.sha256);
    expect(model.kind).toBe('directory');
    expect(model.resources.map(({ name, digest }) => ({ name, digest }))).toEqual(
      statement.predicate.resources.map(({ name, digest }) => ({ name, digest })),
    );
    expect(model.totalSize).toBe(17);
    expect([...model.ignorePaths].sort()).toEqual(
      [...(statement.predicate.serialization.ignore_paths ?? [])].sort(),
    );
  });

  it('accepts the ignore path as the reference CLI is given it (relative to the working directory)', async () => {
    const model = await digestModel(`${interop}v1.1.0-elliptic-key`, {
      ignorePaths: ['v1.1.0-elliptic-key/ignore-me'],
      cwd: interop,
    });
    expect(model.rootDigest).toBe('92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
  });

  it('includes unsigned files unless they are ignored', async () => {
    const model = await digestModel(`${interop}v1.1.0-elliptic-key`);
    expect(model.resources.map((r) => r.name)).toEqual(['ignore-me', 'signme-1', 'signme-2']);
    expect(model.rootDigest).not.toBe('92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
  });

  it('reproduces the v1.0.0 single-file manifest', async () => {
    const statement = await statementOf('v1.0.0-elliptic-key');
    const model = await digestModel(`${interop}v1.0.0-elliptic-key/signme-1`);
    expect(model.kind).toBe('file');
    expect(model.resources).toEqual([
      { name: '.', digest: 'bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc', size: 9 },
    ]);
    expect(model.rootDigest).toBe(statement.subject[0]!.digest.sha256);
    expect(model.rootDigest.startsWith('afa48c86')).toBe(true);
  });

  it('reports progress up to the total size', async () => {
    const calls: [number, number][] = [];
    await digestModel(`${interop}v1.1.0-elliptic-key`, {
      ignorePaths: ['ignore-me'],
      onProgress: (done, total) => calls.push([done, total]),
    });
    expect(calls).toEqual([
      [9, 17],
      [17, 17],
    ]);
  });
});
