import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';
import { invalidRequest } from './http-errors.js';
import { hookList } from './route-hooks.js';

/** NUL, or half of a UTF-16 surrogate pair: neither is text any field of Warden's takes. Built from a string,
 * as the linter refuses a control character in a regular expression literal. */
const illFormed = new RegExp(
  `${String.fromCharCode(0)}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
);

/**
 * The path of the first string (value or key) in a parsed request part that holds NUL or a lone surrogate,
 * or null. PostgreSQL's text cannot store NUL (a 500 there, silently kept by SQLite) and a lone surrogate
 * would be stored as U+FFFD: both are refused before they reach a store. Walks without recursion.
 */
export function findIllFormedText(value: unknown, prefix: string): string | null {
  const stack: [unknown, string][] = [[value, prefix]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [node, path] = next;
    if (typeof node === 'string') {
      if (illFormed.test(node)) return path;
    } else if (Array.isArray(node)) {
      node.forEach((child, i) => {
        stack.push([child, `${path}/${i}`]);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (illFormed.test(key)) return `${path}/${key.replace(illFormed, '?')}`;
        stack.push([child, `${path}/${key}`]);
      }
    }
  }
  return null;
}

/** Refuses a request whose path, query or JSON body holds ill-formed text, naming where. */
export function textError(where: string, path: string): AppError {
  const base = invalidRequest(where);
  return new AppError(base.code, base.kind, base.message, {
    errors: [{ path, message: 'must not contain NUL or unpaired surrogate characters' }],
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route checks the text it takes itself (the inference protocols: tensors are validated element by
     * element against the model, and nothing of the body is stored), so the generic walk is skipped.
     */
    ownTextChecks?: boolean;
  }
}

async function checkText(request: FastifyRequest): Promise<void> {
  for (const [where, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const path = findIllFormedText(value, where);
    if (path !== null) throw textError(where, path);
  }
}

/**
 * Walks the params, query and body of every route registered after this call, except those that check
 * their own text: attached route by route (first of its preValidation hooks) rather than app-wide, so the
 * inference routes pay nothing for it, not even an async hook's promise.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.ownTextChecks === true) return;
    route.preValidation = [checkText, ...hookList(route.preValidation)];
  });
}
