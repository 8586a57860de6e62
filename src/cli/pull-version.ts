import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { sameDigest } from '../modules/artifacts/index.js';
import { checkPaths } from '../modules/manifest/path-rules.js';
import { rootDigest } from '../modules/manifest/root-digest.js';
import type { VersionDetailView } from '../modules/registry/index.js';
import { AppError } from '../platform/errors.js';
import { type ApiClient, type FileDownload, pathSegs, seg } from './api-client.js';
import {
  outputNotEmpty,
  pulledFileMismatch,
  pulledRootMismatch,
  pullWriteFailed,
  signatureRequired,
  unsafePullTarget,
  unsafeVersionPath,
} from './cli-errors.js';
import { writeHashedStream } from './write-hashed-stream.js';

export interface PullResult {
  out: string;
  files: { path: string; size: number; digest: string }[];
}

/**
 * Downloads every file of a version into a private staging folder beside the destination, checks each
 * file's digest and then the root digest, and only then moves the files to their final names. A failed
 * or tampered pull leaves nothing under a final name.
 *
 * Before anything is written, the version's paths must pass the same rules the server applies to a push
 * (versions stored before those rules, or a hostile server, may hold `.git/config` or `a` and `a/b`),
 * and inside an existing target folder no path may lead through a symbolic link or onto a folder.
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
  const target = `${version.model}@${version.number}`;
  const problem = checkPaths(version.files.map((f) => f.path));
  if (problem) {
    const { kind: _kind, ...details } = problem;
    const what =
      problem.kind === 'path'
        ? `its file path ${JSON.stringify(problem.path)} breaks rule ${problem.rule} (${problem.reason}).`
        : `its file paths ${JSON.stringify(problem.other)} and ${JSON.stringify(problem.path)} ${problem.reason} (rule ${problem.rule}).`;
    throw unsafeVersionPath(target, what, details);
  }

  const out = path.resolve(outDir);
  try {
    return await pullInto(client, version, out, options);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const where = (err as NodeJS.ErrnoException).path ?? out;
    if (typeof code === 'string') throw pullWriteFailed(where, code);
    throw err;
  }
}

async function pullInto(
  client: ApiClient,
  version: VersionDetailView,
  out: string,
  options: { force: boolean; onBytes(n: number): void; requireVerifiedSignature?: boolean },
): Promise<PullResult> {
  const existing = await readdir(out).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    if (err.code === 'ENOTDIR') throw unsafePullTarget(out, 'exists and is not a folder');
    throw err;
  });
  if (existing && existing.length > 0 && !options.force) throw outputNotEmpty(out);
  // An existing folder (emptied or --force): every destination is checked before a byte is downloaded.
  if (existing) for (const file of version.files) await safeDestination(out, file.path, false);

  const parent = existing ? out : path.dirname(out);
  await mkdir(parent, { recursive: true });
  const staging = path.join(parent, `.warden-pull-${randomBytes(6).toString('hex')}`);
  await mkdir(staging);
  try {
    for (const file of version.files) {
      const target = path.join(staging, ...file.path.split('/'));
      // The staging folder is new and randomly named, and the paths passed the rules: no clash, nothing to follow.
      await mkdir(path.dirname(target), { recursive: true });
      const res = await client.downloadFile(
        `/api/v1/models/${seg(version.model)}/versions/${version.number}/files/${pathSegs(file.path)}`,
      );
      const signatures = res.header('x-warden-signatures');
      if (options.requireVerifiedSignature && signatures !== 'verified') {
        res.cancel();
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
        // Checked again as folders are made: something may have changed during the download. rename()
        // replaces a directory entry and never follows a link at the destination.
        const dest = await safeDestination(out, file.path, true);
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

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Walks a version path below `out` with lstat, one component at a time: a symbolic link anywhere, a
 * non-folder where a folder is needed or a non-file where the file goes is refused. With `create`,
 * missing folders are made one by one (never recursively through something unchecked). Returns the
 * destination's absolute path.
 */
async function safeDestination(out: string, rel: string, create: boolean): Promise<string> {
  const parts = rel.split('/');
  let dir = out;
  for (const [i, name] of parts.entries()) {
    const here = path.join(dir, name);
    let st = await lstatOrNull(here);
    if (st?.isSymbolicLink()) throw unsafePullTarget(here, 'is a symbolic link');
    if (i === parts.length - 1) {
      if (st && !st.isFile()) throw unsafePullTarget(here, 'exists and is not a regular file');
      return here;
    }
    if (!st) {
      if (!create) return path.join(out, ...parts);
      await mkdir(here, 0o755).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      st = await lstat(here);
      if (st.isSymbolicLink()) throw unsafePullTarget(here, 'is a symbolic link');
    }
    if (!st.isDirectory()) throw unsafePullTarget(here, 'is in the way of a folder the version needs');
    dir = here;
  }
  return dir;
}

async function writeHashed(res: FileDownload, target: string, onBytes: (n: number) => void) {
  const hash = createHash('sha256');
  let size = 0;
  // O_EXCL already refuses an existing name, a dangling link included; O_NOFOLLOW says so outright.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const handle = await open(target, flags, 0o644);
  try {
    // The staging folder is private and new: the file may be opened a second time, for direct writes.
    size = await writeHashedStream(res.body, handle, hash, onBytes, { directPath: target });
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { digest: hash.digest('hex'), size };
}
