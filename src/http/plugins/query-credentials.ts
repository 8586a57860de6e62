import type { FastifyInstance } from 'fastify';
import { defineError } from '../../platform/errors.js';
import { credentialQueryParameter } from '../../platform/redact-url.js';

export const credentialsInQuery = defineError('credentials_in_query', 'invalid', (parameter: string) => ({
  message: `Credentials are not accepted in the query string (parameter "${parameter}"): URLs end up in logs, proxies and browser history. Send the token in the Authorization header, and revoke it if it was real.`,
  details: { parameter },
}));

/**
 * Refuses a request whose query string carries a credential, on every route (unknown ones included), before
 * authentication looks at it: a token is only ever accepted from the Authorization header, so one in a URL
 * is a mistake to report, not a credential to try. The value is never echoed.
 */
export function refuseQueryCredentials(app: FastifyInstance): void {
  // A callback hook: no promise per request.
  app.addHook('onRequest', (request, _reply, done) => {
    const parameter = credentialQueryParameter(request.raw.url ?? '');
    done(parameter === null ? undefined : credentialsInQuery(parameter));
  });
}
