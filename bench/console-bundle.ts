// What the console's index.html makes the browser download before its first render, and how big it is
// compressed: the entry module, its modulepreloads, and every module they import statically.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface Asset {
  /** Path under dist/web, e.g. "assets/index-abc.js". */
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

export interface BundleReport {
  /** Downloaded before the first render: the entry and its static imports, in discovery order. */
  initial: Asset[];
  /** Every other script in assets/: loaded on demand (React.lazy, dynamic import). */
  lazy: Asset[];
  css: Asset[];
}

function sizes(distWeb: string, file: string): Asset {
  const bytes = readFileSync(path.join(distWeb, file));
  return {
    file,
    bytes: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];

/** The module scripts and modulepreloads of index.html, as site paths ("/assets/x.js"). */
function htmlScripts(html: string): { scripts: string[]; styles: string[] } {
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const [tag] of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    if (tag.startsWith('<script') && attr(tag, 'type') === 'module') {
      const src = attr(tag, 'src');
      if (src) scripts.push(src);
    } else if (tag.startsWith('<link')) {
      const rel = attr(tag, 'rel');
      const href = attr(tag, 'href');
      if (href && rel === 'modulepreload') scripts.push(href);
      if (href && rel === 'stylesheet') styles.push(href);
    }
  }
  return { scripts, styles };
}

/**
 * A bundled chunk's static imports. The bundler hoists every `import … from "x"` / `import "x"` to the
 * top of the chunk, so reading declarations from the start until the first other statement finds them
 * all, and never mistakes a dynamic `import("x")` further down for one.
 */
export function staticImports(code: string): string[] {
  const found: string[] = [];
  const declaration = /^\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?(["'])([^"']+)\1\s*;?/;
  let rest = code;
  for (let m = declaration.exec(rest); m; m = declaration.exec(rest)) {
    found.push(m[2] as string);
    rest = rest.slice(m[0].length);
  }
  return found;
}

/** Sizes of the console's initial scripts (entry + modulepreloads + static imports) and of the rest. */
export function measureBundle(distWeb: string): BundleReport {
  const { scripts, styles } = htmlScripts(readFileSync(path.join(distWeb, 'index.html'), 'utf8'));
  const seen = new Set<string>();
  const queue = scripts.map((s) => s.replace(/^\//, ''));
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(distWeb, file), 'utf8');
    for (const spec of staticImports(code))
      queue.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
  }
  const allScripts = readdirSync(path.join(distWeb, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  return {
    initial: [...seen].map((f) => sizes(distWeb, f)),
    lazy: allScripts.filter((f) => !seen.has(f)).map((f) => sizes(distWeb, f)),
    css: styles.map((s) => sizes(distWeb, s.replace(/^\//, ''))),
  };
}
