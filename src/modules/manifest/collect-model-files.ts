import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  modelEmpty,
  modelFileNameNotUtf8,
  modelPathNotFound,
  modelSpecialFile,
  modelSymlink,
} from './manifest-errors.js';
import { compareOmsPaths } from './path-order.js';

/** Paths the reference signer ignores unless told otherwise (`--no-ignore-git-paths`). */
export const GIT_IGNORE_PATHS = ['.git', '.gitattributes', '.github', '.gitignore'] as const;
/** The default signature file name; a model never signs its own signature. */
export const SIGNATURE_FILE_NAME = 'model.sig';

export interface CollectModelFilesOptions {
  /**
   * Paths to leave out, relative to the model root, or paths (absolute, or relative to `cwd`) that lie
   * inside it. A directory leaves out everything below it. Entries outside the model are dropped.
   */
  ignorePaths?: readonly string[];
  /** Leave out `.git`, `.gitattributes`, `.github` and `.gitignore` at the model root (default true). */
  ignoreGitPaths?: boolean;
  /** Base for relative ignore paths that name something inside the model; defaults to the process's. */
  cwd?: string;
}

export interface ModelFile {
  /** POSIX path relative to the model root; `.` for a single-file model. */
  path: string;
  absPath: string;
  size: number;
}

export interface ModelFiles {
  kind: 'file' | 'directory';
  root: string;
  /** In manifest order (compareOmsPaths). */
  files: ModelFile[];
  /** The ignore paths applied, relative to the model root, sorted; empty for a single-file model. */
  ignorePaths: string[];
}

function isInside(rel: string): boolean {
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/** An ignore entry as a POSIX path relative to the model root, or null when it names nothing inside. */
function toModelRelative(entry: string, rootAbs: string, cwd: string): string | null {
  const fromCwd = path.relative(rootAbs, path.resolve(cwd, entry));
  if (isInside(fromCwd)) return fromCwd.split(path.sep).join('/');
  if (path.isAbsolute(entry)) return null;
  const rel = path.posix.normalize(entry.split(path.sep).join('/')).replace(/\/+$/, '');
  return rel === '' || rel === '.' || rel === '..' || rel.startsWith('../') ? null : rel;
}

function ignoreList(rootAbs: string, options: CollectModelFilesOptions): string[] {
  const cwd = options.cwd ?? process.cwd();
  const list = new Set<string>([SIGNATURE_FILE_NAME]);
  if (options.ignoreGitPaths ?? true) for (const p of GIT_IGNORE_PATHS) list.add(p);
  for (const entry of options.ignorePaths ?? []) {
    const rel = toModelRelative(entry, rootAbs, cwd);
    if (rel !== null) list.add(rel);
  }
  return [...list].sort(compareOmsPaths);
}

function isIgnored(relParts: readonly string[], ignored: readonly (readonly string[])[]): boolean {
  return ignored.some((parts) => parts.length <= relParts.length && parts.every((p, i) => p === relParts[i]));
}

async function lstatOrNotFound(abs: string, shown: string): Promise<Stats> {
  try {
    return await lstat(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw modelPathNotFound(shown);
    throw err;
  }
}

async function readNames(dirAbs: string, shown: string): Promise<string[]> {
  const raw = await readdir(dirAbs, { encoding: 'buffer' });
  return raw.map((bytes) => {
    const name = bytes.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(bytes)) throw modelFileNameNotUtf8(shown);
    return name;
  });
}

/**
 * Lists a model's files as OpenSSF model signing does: a single file is one resource named `.`; a
 * directory contributes every regular file below it. Symlinks and special files are refused, never followed.
 */
export async function collectModelFiles(
  root: string,
  options: CollectModelFilesOptions = {},
): Promise<ModelFiles> {
  // Resolving drops a trailing slash, which would make lstat follow a symlinked root.
  const rootAbs = path.resolve(root);
  const rootStat = await lstatOrNotFound(rootAbs, root);
  if (rootStat.isSymbolicLink()) throw modelSymlink(root);
  if (rootStat.isFile()) {
    return {
      kind: 'file',
      root: rootAbs,
      files: [{ path: '.', absPath: rootAbs, size: rootStat.size }],
      ignorePaths: [],
    };
  }
  if (!rootStat.isDirectory()) throw modelSpecialFile(root);

  const ignorePaths = ignoreList(rootAbs, options);
  const ignored = ignorePaths.map((p) => p.split('/'));
  const files: ModelFile[] = [];
  const pending: string[][] = [[]];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    const dirAbs = path.join(rootAbs, ...dir);
    for (const name of await readNames(dirAbs, path.join(root, ...dir))) {
      const rel = [...dir, name];
      if (isIgnored(rel, ignored)) continue;
      const abs = path.join(rootAbs, ...rel);
      const shown = path.join(root, ...rel);
      const st = await lstatOrNotFound(abs, shown);
      if (st.isSymbolicLink()) throw modelSymlink(shown);
      if (st.isDirectory()) pending.push(rel);
      else if (st.isFile()) files.push({ path: rel.join('/'), absPath: abs, size: st.size });
      else throw modelSpecialFile(shown);
    }
  }
  if (files.length === 0) throw modelEmpty(root);
  files.sort((a, b) => compareOmsPaths(a.path, b.path));
  return { kind: 'directory', root: rootAbs, files, ignorePaths };
}
