import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { PermissionChecker } from '../../modules/policy/index.js';
import type { CallContext } from '../../platform/call-context.js';
import { problemResponses } from '../schemas/common.schemas.js';
import { PermissionsBody, PermissionsResponse } from '../schemas/permissions.schemas.js';

export interface PermissionRouteOptions {
  permissions: Pick<PermissionChecker, 'check'>;
  contextOf(request: FastifyRequest): CallContext;
}

/** "What may I do here?": each check decided as its action would be, for showing only usable controls. */
export const permissionRoutes: FastifyPluginAsyncTypebox<PermissionRouteOptions> = async (
  app,
  { permissions, contextOf },
) => {
  app.post(
    '/permissions',
    {
      config: { action: 'identity:whoami' },
      schema: {
        tags: ['identity'],
        summary:
          'Whether the caller may perform each of up to 50 actions on the resources named (decided, never recorded)',
        body: PermissionsBody,
        response: { 200: PermissionsResponse, ...problemResponses },
      },
    },
    async (request) => ({
      results: await permissions.check(contextOf(request), request.body.checks),
    }),
  );
};
