import type { Logger as PinoLogger } from 'pino';
import { claimMappingOf } from './adapters/oidc/claims-principal.js';
import { createOidcLoginClient } from './adapters/oidc/oidc-login-client.js';
import type { Stores, UnitOfWork } from './adapters/sql/stores.js';
import type { Config } from './config/index.js';
import {
  type ConsoleSessionServiceDeps,
  createConsoleSessionService,
  createOidcSignIn,
} from './modules/identity/index.js';
import type { Clock } from './platform/clock.js';

export interface ConsoleComposition {
  config: Readonly<Config>;
  logger: PinoLogger;
  uow: UnitOfWork;
  read: Stores;
  clock: Clock;
  /** Identity's access (records `identity.session.*` on the change's transaction). */
  access: ConsoleSessionServiceDeps<Stores>['access'];
  /** Checks a pasted API token as a bearer token is checked (the identity service). */
  tokens: ConsoleSessionServiceDeps<Stores>['tokens'];
}

/**
 * The web console's part of the composition root: its sessions, and signing in at the `oidc` issuer
 * when `console.oidc` is configured (null otherwise). Only wires.
 */
export function composeConsole(deps: ConsoleComposition) {
  const { config, logger, read, clock } = deps;
  const consoleSessions = createConsoleSessionService<Stores>({
    uow: deps.uow,
    read,
    clock,
    logger,
    access: deps.access,
    tokens: deps.tokens,
    settings: config.console.session,
  });
  const settings = config.console.oidc;
  // The configuration refuses console.oidc without oidc; both are checked here for the type's sake.
  const oidcSignIn =
    settings && config.oidc
      ? createOidcSignIn({
          read,
          clock,
          sessions: consoleSessions,
          client: createOidcLoginClient(
            { ...settings, issuer: config.oidc.issuer, mapping: claimMappingOf(config.oidc) },
            { logger },
          ),
        })
      : null;
  return { consoleSessions, oidcSignIn };
}
