import { conflictingFilePaths, invalidFilePath } from './manifest-errors.js';
import { checkPath, checkPaths } from './path-rules.js';

/**
 * Checks a file name that arrived in an upload (or in a version about to be pulled) before it is stored
 * or joined to any directory: see path-rules.ts. Returns the path unchanged; throws invalid_file_path
 * naming the path, the reason and the rule.
 */
export function validateRelativePath(p: string): string {
  const violation = checkPath(p);
  if (violation) throw invalidFilePath(violation.reason, p, violation.rule);
  return p;
}

/**
 * Checks every path of one version and the paths together (case or normalisation collisions, a file that
 * is also a folder); throws invalid_file_path or conflicting_file_paths for the first problem.
 */
export function validateVersionPaths(paths: Iterable<string>): void {
  const problem = checkPaths(paths);
  if (!problem) return;
  if (problem.kind === 'path') throw invalidFilePath(problem.reason, problem.path, problem.rule);
  throw conflictingFilePaths(problem.rule, problem.reason, problem.path, problem.other);
}
