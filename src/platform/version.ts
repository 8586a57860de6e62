import { readFileSync } from 'node:fs';

/** Warden's version, from package.json (found the same way from src/ and from dist/). */
export const wardenVersion: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
