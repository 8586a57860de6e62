import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleNotBuilt } from '../http-errors.js';
import { sendProblem } from './error-handler.js';

/** Where `npm run build` puts the console (vite's outDir): dist/web, from src/ and from dist/ alike. */
export const consoleBuildDir = fileURLToPath(new URL('../../../dist/web', import.meta.url));

/** The console's script and style files, named by content hash, served as they are. */
export const consoleAssetsPrefix = '/assets';

/**
 * No inline script, no eval, nothing from another origin, never framed. React sets styles through the
 * CSSOM, which `style-src 'self'` allows; everything the console loads is its own bundle.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API, the gateway or the docs: an unknown one is a 404 problem, never the page. */
const apiPrefixes = [
  '/api/',
  '/v1/',
  '/v2/',
  '/openai/',
  '/docs',
  '/metrics',
  '/healthz',
  '/readyz',
  '/assets/',
];

function setPageHeaders(reply: FastifyReply, tls: boolean): void {
  reply.header('content-security-policy', consoleCsp);
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (tls) reply.header('strict-transport-security', 'max-age=31536000');
}

/** Whether a request that matched no route is a browser asking for a console page (a deep link). */
export function isConsolePageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  if (apiPrefixes.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export interface ConsoleHandle {
  /** Answers a console deep link with the page (for the not-found handler), or returns false. */
  servePage(request: FastifyRequest, reply: FastifyReply): boolean;
}

/**
 * Serves the console built in dist/web: `/` and every deep link (a GET for HTML that no route matches) get
 * index.html, `/assets/*` the hashed bundle. Pages are public (the data behind them is not) and carry the
 * strict Content-Security-Policy. When the console is not built, `/` says how to build it.
 */
export async function registerConsole(
  app: FastifyInstance,
  options: { dir?: string } = {},
): Promise<ConsoleHandle> {
  const dir = options.dir ?? consoleBuildDir;
  const indexFile = `${dir}/index.html`;
  const index = existsSync(indexFile) ? readFileSync(indexFile) : null;
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    if (!index) return sendProblem(reply, request, consoleNotBuilt());
    setPageHeaders(reply, request.protocol === 'https');
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(index);
  };
  app.get('/', { config: { action: 'public' }, schema: { hide: true } }, sendIndex);
  if (index) {
    await app.register(fastifyStatic, {
      root: `${dir}/assets`,
      prefix: `${consoleAssetsPrefix}/`,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: 'deny',
      wildcard: false,
      immutable: true,
      // The build writes .br and .gz beside each asset; a client that accepts one gets it as is.
      preCompressed: true,
      maxAge: '365d',
    });
    if (existsSync(`${dir}/favicon.svg`)) {
      const favicon = readFileSync(`${dir}/favicon.svg`);
      app.get('/favicon.svg', { config: { action: 'public' }, schema: { hide: true } }, (_request, reply) =>
        reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(favicon),
      );
    }
  }
  return {
    servePage: (request, reply) => {
      if (!isConsolePageRequest(request)) return false;
      void sendIndex(request, reply);
      return true;
    },
  };
}
