import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The authorization action this route performs (e.g. "registry:version:push"), or "public". */
    action?: string;
  }
}

const actionPattern = /^(public|[a-z]+(:[a-z-]+)+)$/;

/**
 * Every route must declare the action it performs, so authorization can never be forgotten: a route
 * without one stops the server from starting. Routes a third-party plugin registers under one of
 * `publicPrefixes` (the API docs UI) are public by that explicit listing.
 */
export function enforceRouteActions(app: FastifyInstance, options: { publicPrefixes: string[] }): string[] {
  const declared: string[] = [];
  app.addHook('onRoute', (route) => {
    const action = route.config?.action;
    if (action === undefined) {
      if (options.publicPrefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`))) return;
      throw new Error(`route ${route.method} ${route.url} declares no authorization action (config.action)`);
    }
    if (!actionPattern.test(action))
      throw new Error(`route ${route.method} ${route.url} has a malformed action "${action}"`);
    declared.push(`${String(route.method)} ${route.url} ${action}`);
  });
  return declared;
}
