import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyFileUnreadable } from '../../modules/policy/index.js';
import type { PolicySource } from './cedar-policy-engine.js';

/** The shipped schema and role policies: <repo>/policies, the same from src/ and from dist/. */
export const builtinPolicyDir = fileURLToPath(new URL('../../../policies/', import.meta.url));
export const schemaFileName = 'warden.cedarschema';

export interface LoadPoliciesOptions {
  /** Where the shipped schema and *.cedar files are; defaults to the repository's policies/ folder. */
  builtinDir?: string;
  /** Operator policy files, or folders whose *.cedar files are all loaded (in name order). */
  extraFiles?: readonly string[];
  /** Base for relative `extraFiles`; defaults to the current directory. */
  cwd?: string;
}

export interface LoadedPolicyFiles {
  schemaText: string;
  schemaFile: string;
  /** Role policies: built-in files first (`builtin:<name>`), then the operator's (named as given). */
  policies: PolicySource[];
  /** Deployment gate policies: every file named `gates-*.cedar`, built-in first, in the same order. */
  gatePolicies: PolicySource[];
}

/** A file of deployment gate policies rather than role policies: `gates-*.cedar`. */
export const isGateFile = (name: string): boolean => /^gates-.*\.cedar$/.test(path.basename(name));

/** Reads the shipped schema and policies and the operator's policy files; no parsing happens here. */
export async function loadPolicies(options: LoadPoliciesOptions = {}): Promise<LoadedPolicyFiles> {
  const builtinDir = options.builtinDir ?? builtinPolicyDir;
  const cwd = options.cwd ?? process.cwd();
  const schemaFile = `builtin:${schemaFileName}`;
  const schemaText = await readText(path.join(builtinDir, schemaFileName), schemaFile);
  const policies: PolicySource[] = [];
  const gatePolicies: PolicySource[] = [];
  const add = (source: PolicySource, file: string) =>
    (isGateFile(file) ? gatePolicies : policies).push(source);
  for (const name of await cedarFilesIn(builtinDir, 'builtin:')) {
    add({ id: `builtin:${name}`, text: await readText(path.join(builtinDir, name), name) }, name);
  }
  const seen = new Set<string>();
  for (const given of options.extraFiles ?? []) {
    const full = path.resolve(cwd, given);
    const info = await stat(full).catch((err: NodeJS.ErrnoException) => {
      throw policyFileUnreadable(given, reasonOf(err));
    });
    const files = info.isDirectory()
      ? (await cedarFilesIn(full, given)).map((name) => ({
          full: path.join(full, name),
          id: path.join(given, name),
        }))
      : [{ full, id: given }];
    for (const file of files) {
      if (seen.has(file.full)) continue;
      seen.add(file.full);
      add({ id: file.id, text: await readText(file.full, file.id) }, file.full);
    }
  }
  return { schemaText, schemaFile, policies, gatePolicies };
}

async function cedarFilesIn(dir: string, shownAs: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('.cedar'))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    throw policyFileUnreadable(shownAs, reasonOf(err as NodeJS.ErrnoException));
  }
}

async function readText(file: string, shownAs: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw policyFileUnreadable(shownAs, reasonOf(err as NodeJS.ErrnoException));
  }
}

function reasonOf(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    default:
      return err.message;
  }
}
