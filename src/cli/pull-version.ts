import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sameDigest } from '../modules/artifacts/index.js';
import { rootDigest } from '../modules/manifest/root-digest.js';
import type { VersionDetailView } from '../modules/registry/index.js';
import { type ApiClient, pathSegs, seg } from './api-client.js';
import { outputNotEmpty, pulledFileMismatch, pulledRootMismatch, signatureRequired } from './cli-errors.js';

export interface PullResult {
  out: string;
  files: { path: string; size: number; digest: string }[];
}

/**
 * Downloads every file of a version into a private staging folder beside the destination, checks each
 * file's digest and then the root digest, and only then moves the files to their final names. A failed
 * or tampered pull leaves nothing under a final name.
 */
export async function pullVersion(
  client: ApiClient,
  version: VersionDetailView,
  outDir: string,
  options: {
    force: boolean;
    onBytes(n: number): void;
    /** Refuse any file the server does not answer with `x-warden-signatures: verified` (re-checked per file). */
    requireVerifiedSignature?: boolean;
  },
): Promise<PullResult> {
  const out = path.resolve(outDir);
  const existing = await readdir(out).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing && existing.length > 0 && !options.force) throw outputNotEmpty(out);

  const parent = existing ? out : path.dirname(out);
  await mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.warden-pull-${randomBytes(6).toString('hex')}`);
  await mkdir(staging);
  try {
    for (const file of version.files) {
      const target = path.join(staging, ...file.path.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      const res = await client.raw(
        'GET',
        `/api/v1/models/${seg(version.model)}/versions/${version.number}/files/${pathSegs(file.path)}`,
      );
      const signatures = res.headers.get('x-warden-signatures');
      if (options.requireVerifiedSignature && signatures !== 'verified') {
        await res.body?.cancel();
        throw signatureRequired(
          `${version.model}@${version.number}`,
          `the server reports its signatures as ${signatures ?? 'unknown'} while downloading ${file.path}`,
        );
      }
      const got = await writeHashed(res, target, options.onBytes);
      if (!sameDigest(got.digest, bare(file.digest)) || got.size !== file.size)
        throw pulledFileMismatch(file.path);
    }
    const root = rootDigest(version.manifest.resources.map((r) => ({ name: r.name, digest: r.digest })));
    if (!sameDigest(root, bare(version.digest))) throw pulledRootMismatch(version.digest);

    if (!existing) {
      await rename(staging, out);
    } else {
      for (const file of version.files) {
        const dest = path.join(out, ...file.path.split('/'));
        await mkdir(path.dirname(dest), { recursive: true });
        await rename(path.join(staging, ...file.path.split('/')), dest);
      }
      await rm(staging, { recursive: true, force: true });
    }
    return { out, files: version.files.map((f) => ({ path: f.path, size: f.size, digest: f.digest })) };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

const bare = (digest: string) => digest.replace(/^sha256:/, '');

async function writeHashed(res: Response, target: string, onBytes: (n: number) => void) {
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(target, 'wx', 0o644);
  try {
    if (res.body) {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        size += chunk.length;
        onBytes(chunk.length);
        await handle.write(chunk);
      }
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { digest: hash.digest('hex'), size };
}
