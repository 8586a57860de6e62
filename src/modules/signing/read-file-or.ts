import { readFile } from 'node:fs/promises';
import type { AppError } from '../../platform/errors.js';

/** Reads a small input file (key, signature, password), turning "no such file" into `notFound(path)`. */
export async function readFileOr(path: string, notFound: (path: string) => AppError): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR')
      throw notFound(path);
    throw err;
  }
}
