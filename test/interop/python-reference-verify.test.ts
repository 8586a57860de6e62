import { spawnSync } from 'node:child_process';
import { appendFile, chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygenCommand } from '../../src/cli/commands/keygen.js';
import { signCommand } from '../../src/cli/commands/sign.js';
import { interop, memoryCtx, V110_ROOT } from '../signing/helpers.js';

/**
 * Warden signs, an independent Python verifier checks. `oms_verify.py` (stdlib + `cryptography` only)
 * follows the reference `model_signing` verifier's key-based rules step by step (each rule names the
 * reference file it comes from); it is first proven on the reference's own vectors. The reference package
 * itself cannot be installed here (no PyPI); docs/signing.md keeps the commands to run it.
 */

const script = fileURLToPath(new URL('./oms_verify.py', import.meta.url));

function probePython(): string | null {
  const run = spawnSync('python3', ['-c', 'import cryptography.hazmat.primitives.asymmetric.ec'], {
    encoding: 'utf8',
  });
  if (run.error) return `python3 not found (${run.error.message})`;
  if (run.status !== 0)
    return `python3 lacks the cryptography module (${run.stderr.trim().split('\n').pop()})`;
  return null;
}
const missing = probePython();
if (missing) console.warn(`python-reference-verify: skipped, ${missing}`);

interface PyResult {
  code: number | null;
  out: Record<string, unknown> & { ok: boolean; stage?: string; reason?: string };
  stderr: string;
}

/** Runs the Python verifier from `cwd`; `args` are its flags. */
function pyVerify(cwd: string, args: string[]): PyResult {
  const run = spawnSync('python3', [script, ...args], { cwd, encoding: 'utf8' });
  let out: PyResult['out'];
  try {
    out = JSON.parse(run.stdout);
  } catch {
    throw new Error(`oms_verify.py printed no JSON (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
  }
  return { code: run.status, out, stderr: run.stderr };
}

const verifyArgs = (model: string, sig: string, key: string, ...rest: string[]) => [
  '--model-path',
  model,
  '--signature',
  sig,
  '--public-key',
  key,
  ...rest,
];

/** Expects acceptance; shows the verifier's reason when it refuses. */
function accepted(r: PyResult): PyResult['out'] {
  expect({ code: r.code, reason: r.out.reason, stderr: r.code ? r.stderr : '' }).toMatchObject({ code: 0 });
  expect(r.out.ok).toBe(true);
  return r.out;
}

function rejected(r: PyResult, stage: string, reason?: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.out).toMatchObject({ ok: false, stage });
  if (reason) expect(r.out.reason).toMatch(reason);
}

function flipAt(bytes: Buffer, at: number): void {
  bytes[at] = (bytes[at] ?? 0) ^ 1;
}

async function flipByte(file: string, at = 0): Promise<void> {
  const bytes = await readFile(file);
  flipAt(bytes, at);
  await writeFile(file, bytes);
}

describe.skipIf(missing !== null)(
  `independent Python verifier following the reference rules${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    describe('agrees with the reference on its own vectors', () => {
      let dir: string;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'warden-pyref-vectors-'));
        await cp(interop, dir, { recursive: true });
        await chmod(dir, 0o755);
        for (const sub of ['v1.1.0-elliptic-key', 'v1.0.0-elliptic-key']) {
          await chmod(join(dir, sub), 0o755);
          for (const f of ['signme-1', 'signme-2', 'ignore-me', 'model.sig'])
            await chmod(join(dir, sub, f), 0o644).catch(() => {});
        }
      });
      afterAll(async () => {
        await rm(dir, { recursive: true, force: true });
      });

      const v110 = (...rest: string[]) =>
        verifyArgs(
          'v1.1.0-elliptic-key',
          'v1.1.0-elliptic-key/model.sig',
          'signing-key-pub.pem',
          '--ignore-paths',
          'v1.1.0-elliptic-key/ignore-me',
          ...rest,
        );
      const v100 = (...rest: string[]) =>
        verifyArgs(
          'v1.0.0-elliptic-key/signme-1',
          'v1.0.0-elliptic-key/model.sig',
          'signing-key-pub.pem',
          ...rest,
        );

      it('accepts both vectors invoked as the README invokes the reference CLI (cli and api modes)', () => {
        for (const mode of ['cli', 'api']) {
          expect(accepted(pyVerify(interop, v110('--mode', mode)))).toMatchObject({
            root_digest: V110_ROOT,
            resources: ['signme-1', 'signme-2'],
            hint_checked: true,
            pae: 'v1',
            key_hint: 'e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e',
          });
          // v1.0.0 bundles carry rawBytes + keyDetails and no hint: the reference drops those and warns.
          const file = pyVerify(interop, v100('--mode', mode));
          expect(accepted(file)).toMatchObject({
            model_name: 'signme-1',
            resources: ['.'],
            hint_checked: false,
          });
          expect(file.stderr).toContain('no publicKey.hint');
        }
      });

      it('rejects after a signed byte, the payload or the signature changes, or with another key', async () => {
        const other = join(dir, 'other.pub');
        await keygenCommand(memoryCtx(dir).ctx, { out: 'other', curve: 'p384' });
        rejected(pyVerify(dir, v110('--public-key', other)), 'signature', /hint/);
        rejected(pyVerify(dir, v100('--public-key', other)), 'signature', /does not verify/);

        const sigFile = join(dir, 'v1.1.0-elliptic-key', 'model.sig');
        const original = await readFile(sigFile, 'utf8');
        const bundle = JSON.parse(original);
        const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
        flipAt(payload, payload.indexOf('signme-2') + 6);
        await writeFile(
          sigFile,
          JSON.stringify({
            ...bundle,
            dsseEnvelope: { ...bundle.dsseEnvelope, payload: payload.toString('base64') },
          }),
        );
        rejected(pyVerify(dir, v110()), 'signature');
        const sig = Buffer.from(bundle.dsseEnvelope.signatures[0].sig, 'base64');
        flipAt(sig, sig.length - 1);
        bundle.dsseEnvelope.signatures[0].sig = sig.toString('base64');
        await writeFile(sigFile, JSON.stringify(bundle));
        rejected(pyVerify(dir, v110()), 'signature');
        await writeFile(sigFile, original);
        accepted(pyVerify(dir, v110()));

        await flipByte(join(dir, 'v1.1.0-elliptic-key', 'signme-2'), 3);
        rejected(pyVerify(dir, v110()), 'compare', /"mismatched": \[\{"actual"[^\]]*"name": "signme-2"/);
        await flipByte(join(dir, 'v1.0.0-elliptic-key', 'signme-1'));
        rejected(pyVerify(dir, v100()), 'compare', /"name": "\."/);
        await flipByte(join(dir, 'v1.1.0-elliptic-key', 'signme-2'), 3);
        await writeFile(join(dir, 'v1.1.0-elliptic-key', 'added'), 'x');
        rejected(pyVerify(dir, v110()), 'compare', /"extra": \["added"\]/);
        accepted(pyVerify(dir, v110('--ignore-unsigned-files')));
        await rm(join(dir, 'v1.1.0-elliptic-key', 'signme-1'));
        rejected(pyVerify(dir, v110()), 'compare', /"missing": \["signme-1"\]/);
      });
    });

    describe('accepts what Warden signs, and rejects it once tampered with', () => {
      let dir: string;
      const ctx = () => memoryCtx(dir).ctx;
      /** `warden sign` via the CLI command; returns its --json summary. */
      async function wardenSign(
        target: string,
        key: string,
        options: {
          signature: string;
          shardSize?: string;
          ignorePaths?: string[];
          passwordFile?: string;
          ignoreGitPaths?: boolean;
        },
      ): Promise<{ digest: string; resources: number; signedBy: string; method: string }> {
        const m = memoryCtx(dir);
        await signCommand(m.ctx, target, { key: `${key}.pem`, json: true, ...options });
        return JSON.parse(m.out());
      }
      const py = (model: string, sig: string, key: string, ...rest: string[]) =>
        pyVerify(dir, verifyArgs(model, sig, `${key}.pub`, ...rest));

      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'warden-pyref-'));
        const model = join(dir, 'model');
        await mkdir(join(model, 'sub', 'deeper'), { recursive: true });
        await mkdir(join(model, 'a'), { recursive: true });
        await mkdir(join(model, 'a-b'), { recursive: true });
        await mkdir(join(model, '.git'), { recursive: true });
        const weights = Buffer.alloc(5000);
        for (let i = 0; i < weights.length; i++) weights[i] = (i * 31 + 7) & 0xff;
        await writeFile(join(model, 'weights.bin'), weights);
        await writeFile(join(model, 'exact.bin'), Buffer.alloc(2048, 9)); // a multiple of the shard size
        await writeFile(join(model, 'empty.bin'), '');
        await writeFile(join(model, 'sub', 'config.json'), '{"layers": 3}\n');
        await writeFile(join(model, 'sub', 'deeper', 'tokenizer.txt'), 'a b c\n'.repeat(300));
        await writeFile(join(model, 'sub', '.gitattributes'), '* text\n'); // only the root's git files are ignored
        await writeFile(join(model, 'a', 'a'), 'a/a');
        await writeFile(join(model, 'a-b', 'c'), 'a-b/c');
        await writeFile(join(model, 'a.txt'), 'a.txt');
        await writeFile(join(model, 'naïve ü.txt'), 'unicode and a space');
        await mkdir(join(model, '.cache'), { recursive: true });
        await writeFile(join(model, '.cache', 'state'), 'hidden files other than git ones are signed');
        await writeFile(join(model, '.gitignore'), '*.tmp\n');
        await writeFile(join(model, '.git', 'HEAD'), 'ref: refs/heads/main\n');
        await writeFile(join(dir, 'pw'), 'correct horse\n');
        await keygenCommand(ctx(), { out: 'k256', curve: 'p256' });
        await keygenCommand(ctx(), { out: 'k384', curve: 'p384', passwordFile: 'pw' });
        await keygenCommand(ctx(), { out: 'k521', curve: 'p521' });
        await keygenCommand(ctx(), { out: 'stranger', curve: 'p256' });
      });
      afterAll(async () => {
        await rm(dir, { recursive: true, force: true });
      });

      it('(a) a directory with nested files, one key per curve (P-384 password-protected)', async () => {
        for (const [key, pw] of [['k256'], ['k384', 'pw'], ['k521']] as const) {
          const sig = `dir-${key}.sig`;
          const signed = await wardenSign('model', key, {
            signature: sig,
            ...(pw ? { passwordFile: pw } : {}),
          });
          for (const mode of ['cli', 'api']) {
            const out = accepted(py('model', sig, key, '--mode', mode));
            expect(out).toMatchObject({
              model_name: 'model',
              method: 'files',
              root_digest: signed.digest.replace('sha256:', ''),
              hint_checked: true,
              key_hint: signed.signedBy,
              pae: 'v1',
            });
            expect(out.resources).toEqual(
              [
                '.cache/state',
                'a-b/c',
                'a.txt',
                'a/a',
                'empty.bin',
                'exact.bin',
                'naïve ü.txt',
                'sub/.gitattributes',
                'sub/config.json',
                'sub/deeper/tokenizer.txt',
                'weights.bin',
              ].sort(),
            );
          }
        }
      });

      it("the reference signer's key loading reads Warden's private keys (encrypted PKCS#8 too)", () => {
        const code = [
          'import sys',
          'from cryptography.hazmat.primitives import serialization',
          'from cryptography.hazmat.primitives.asymmetric import ec',
          'for path, pw in ((sys.argv[1], None), (sys.argv[2], sys.argv[3].encode())):',
          '    k = serialization.load_pem_private_key(open(path, "rb").read(), pw)',
          '    assert isinstance(k, ec.EllipticCurvePrivateKey), type(k)',
          '    print(k.curve.name)',
        ].join('\n');
        const run = spawnSync('python3', ['-c', code, 'k256.pem', 'k384.pem', 'correct horse'], {
          cwd: dir,
          encoding: 'utf8',
        });
        expect(run.stderr).toBe('');
        expect(run.stdout.split('\n').filter(Boolean)).toEqual(['secp256r1', 'secp384r1']);
      });

      it('(b) a single file', async () => {
        for (const key of ['k256', 'k521']) {
          const sig = `file-${key}.sig`;
          const signed = await wardenSign(join('model', 'weights.bin'), key, { signature: sig });
          for (const mode of ['cli', 'api'])
            expect(accepted(py(join('model', 'weights.bin'), sig, key, '--mode', mode))).toMatchObject({
              model_name: 'weights.bin',
              resources: ['.'],
              root_digest: signed.digest.replace('sha256:', ''),
            });
        }
      });

      it('(c) the shards method with files spanning several shards, and a single sharded file', async () => {
        const signed = await wardenSign('model', 'k384', {
          signature: 'shards.sig',
          shardSize: '1024',
          passwordFile: 'pw',
        });
        expect(signed.method).toBe('shards');
        const out = accepted(py('model', 'shards.sig', 'k384'));
        expect(out).toMatchObject({
          method: 'shards',
          shard_size: 1024,
          root_digest: signed.digest.replace('sha256:', ''),
        });
        const resources = out.resources as string[];
        expect(resources.filter((r) => r.startsWith('weights.bin:'))).toEqual([
          'weights.bin:0:1024',
          'weights.bin:1024:2048',
          'weights.bin:2048:3072',
          'weights.bin:3072:4096',
          'weights.bin:4096:5000',
        ]);
        expect(resources.filter((r) => r.startsWith('exact.bin:'))).toEqual([
          'exact.bin:0:1024',
          'exact.bin:1024:2048',
        ]);
        expect(resources.some((r) => r.startsWith('empty.bin'))).toBe(false); // an empty file has no shards
        expect(resources).toContain('sub/deeper/tokenizer.txt:1024:1800');

        // The reference CLI (`model_signing verify key`) always re-hashes with hashing.Config()'s default
        // files serialization, so no shards signature (Warden's or the reference API's) verifies there;
        // the reference API, which takes the serialization from the signature, does (mode api, above).
        rejected(py('model', 'shards.sig', 'k384', '--mode', 'cli'), 'compare', /"weights.bin"/);

        await wardenSign(join('model', 'weights.bin'), 'k256', {
          signature: 'file-shards.sig',
          shardSize: '2000',
        });
        expect(accepted(py(join('model', 'weights.bin'), 'file-shards.sig', 'k256')).resources).toEqual([
          '.:0:2000',
          '.:2000:4000',
          '.:4000:5000',
        ]);
      });

      it('(d) --ignore-paths (relative to the cwd, as the reference CLI takes them) and a signature inside the model', async () => {
        await mkdir(join(dir, 'model', 'sigs'), { recursive: true });
        const signed = await wardenSign('model', 'k256', {
          signature: join('model', 'sigs', 'warden.sig'),
          ignorePaths: [join('model', 'sub', 'deeper'), join('model', 'a.txt')],
        });
        const sig = join('model', 'sigs', 'warden.sig');
        const out = accepted(py('model', sig, 'k256'));
        expect(out.root_digest).toBe(signed.digest.replace('sha256:', ''));
        expect(out.resources).not.toContain('a.txt');
        expect((out.resources as string[]).some((r) => r.startsWith('sub/deeper'))).toBe(false);
        // The recorded ignore_paths alone make the reference skip them, whatever the verifier is told.
        accepted(py('model', sig, 'k256', '--mode', 'cli', '--ignore-paths', join('model', 'a.txt')));
        const bundle = JSON.parse(await readFile(join(dir, sig), 'utf8'));
        const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
        expect(statement.predicate.serialization.ignore_paths).toEqual(
          expect.arrayContaining(['sub/deeper', 'a.txt', 'sigs/warden.sig', '.git', 'model.sig']),
        );

        await appendFile(join(dir, 'model', 'a.txt'), 'ignored, so no change');
        accepted(py('model', sig, 'k256'));
        await writeFile(join(dir, 'model', 'a.txt'), 'a.txt');
      });

      it('--no-ignore-git-paths: the root git files are signed, and the reference verifier must be told so too', async () => {
        await wardenSign('model', 'k256', { signature: 'with-git.sig', ignoreGitPaths: false });
        // `model_signing verify key` ignores the root git paths unless given --no-ignore-git-paths (_cli.py).
        rejected(py('model', 'with-git.sig', 'k256'), 'compare', /"missing": \[".git\/HEAD", ".gitignore"\]/);
        const out = accepted(py('model', 'with-git.sig', 'k256', '--no-ignore-git-paths', '--mode', 'cli'));
        expect(out.resources).toEqual(expect.arrayContaining(['.git/HEAD', '.gitignore']));
      });

      it("names the files method can carry but the shards method cannot (':'), and Warden's refusal", async () => {
        const odd = join(dir, 'odd');
        await mkdir(join(odd, 'sub'), { recursive: true });
        await writeFile(join(odd, 'sub', 'b:c.bin'), 'a colon in the name');
        await writeFile(join(odd, 'back\\slash'), 'a backslash in the name');
        await wardenSign('odd', 'k256', { signature: 'odd.sig' });
        expect(accepted(py('odd', 'odd.sig', 'k256', '--mode', 'cli')).resources).toEqual([
          'back\\slash',
          'sub/b:c.bin',
        ]);
        // `sub/b:c.bin:0:4` would not split into path:start:end; the reference rejects such a signature, so
        // Warden refuses to write it (see the suite below, which runs without Python too).
        await expect(
          wardenSign('odd', 'k256', { signature: 'odd-shards.sig', shardSize: '4' }),
        ).rejects.toMatchObject({
          code: 'signing_serialization_unsupported',
        });
      });

      describe('rejections', () => {
        let work: string;
        beforeAll(async () => {
          work = join(dir, 'work');
          await cp(join(dir, 'model'), work, { recursive: true });
          await wardenSign('work', 'k256', { signature: 'work-files.sig' });
          await wardenSign('work', 'k521', { signature: 'work-shards.sig', shardSize: '1024' });
          accepted(py('work', 'work-files.sig', 'k256'));
          accepted(py('work', 'work-shards.sig', 'k521'));
        });

        it('with the wrong key (a hint naming another key, or a signature another key made)', async () => {
          rejected(py('work', 'work-files.sig', 'stranger'), 'signature', /hint/);
          const bundle = JSON.parse(await readFile(join(dir, 'work-files.sig'), 'utf8'));
          bundle.verificationMaterial.publicKey = {};
          await writeFile(join(dir, 'no-hint.sig'), JSON.stringify(bundle));
          accepted(py('work', 'no-hint.sig', 'k256'));
          rejected(py('work', 'no-hint.sig', 'stranger'), 'signature', /does not verify/);
          rejected(py('work', 'work-shards.sig', 'k256'), 'signature');
        });

        it('after a file changes', async () => {
          const file = join(work, 'sub', 'deeper', 'tokenizer.txt');
          const before = await readFile(file);
          await flipByte(file, 1500);
          rejected(py('work', 'work-files.sig', 'k256'), 'compare', /"name": "sub\/deeper\/tokenizer.txt"/);
          rejected(
            py('work', 'work-shards.sig', 'k521'),
            'compare',
            /"name": "sub\/deeper\/tokenizer.txt:1024:1800"/,
          );
          await writeFile(file, before);
          await appendFile(join(work, 'weights.bin'), 'more');
          rejected(py('work', 'work-files.sig', 'k256'), 'compare', /"name": "weights.bin"/);
          rejected(
            py('work', 'work-shards.sig', 'k521'),
            'compare',
            /"missing": \["weights.bin:4096:5000"\]/,
          );
          await writeFile(join(work, 'weights.bin'), await readFile(join(dir, 'model', 'weights.bin')));
          accepted(py('work', 'work-files.sig', 'k256'));
          accepted(py('work', 'work-shards.sig', 'k521'));
        });

        it('after a file is added (unless --ignore-unsigned-files) or removed', async () => {
          await writeFile(join(work, 'sub', 'added.bin'), 'new');
          rejected(py('work', 'work-files.sig', 'k256'), 'compare', /"extra": \["sub\/added.bin"\]/);
          rejected(py('work', 'work-shards.sig', 'k521'), 'compare', /"extra": \["sub\/added.bin:0:3"\]/);
          accepted(py('work', 'work-files.sig', 'k256', '--ignore-unsigned-files'));
          await rm(join(work, 'sub', 'added.bin'));
          // An empty file is a resource of the files method, and nothing at all to the shards method.
          await rm(join(work, 'empty.bin'));
          rejected(py('work', 'work-files.sig', 'k256'), 'compare', /"missing": \["empty.bin"\]/);
          accepted(py('work', 'work-shards.sig', 'k521'));
          await writeFile(join(work, 'empty.bin'), '');
          const config = join(work, 'sub', 'config.json');
          const before = await readFile(config);
          await rm(config);
          rejected(py('work', 'work-files.sig', 'k256'), 'compare', /"missing": \["sub\/config.json"\]/);
          rejected(
            py('work', 'work-shards.sig', 'k521'),
            'compare',
            /"missing": \["sub\/config.json:0:14"\]/,
          );
          // With --ignore-unsigned-files the reference hashes each signed path, so a missing one fails.
          rejected(py('work', 'work-files.sig', 'k256', '--ignore-unsigned-files'), 'hash', /config.json/);
          await writeFile(config, before);
          accepted(py('work', 'work-files.sig', 'k256'));
        });
      });
    });
  },
);

describe('warden sign refuses what no verifier could check', () => {
  it("refuses the shards method for a path with ':', before hashing; the files method signs it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'warden-colon-'));
    try {
      await mkdir(join(dir, 'm'));
      await writeFile(join(dir, 'm', 'a:b.bin'), 'x');
      await keygenCommand(memoryCtx(dir).ctx, { out: 'k' });
      await expect(
        signCommand(memoryCtx(dir).ctx, 'm', { key: 'k.pem', signature: 's.sig', shardSize: '4' }),
      ).rejects.toMatchObject({
        code: 'signing_serialization_unsupported',
        message: expect.stringContaining('a:b.bin'),
      });
      await signCommand(memoryCtx(dir).ctx, 'm', { key: 'k.pem', signature: 'f.sig' });
      const bundle = JSON.parse(await readFile(join(dir, 'f.sig'), 'utf8'));
      const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
      expect(statement.predicate.resources.map((r: { name: string }) => r.name)).toEqual(['a:b.bin']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
