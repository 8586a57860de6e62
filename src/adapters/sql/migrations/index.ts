import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-registry.js';
import * as m0002 from './0002-audit.js';
import * as m0003 from './0003-identity.js';

/** The one migration tree for every dialect, listed statically so it works from source and from dist. */
const migrations: Record<string, Migration> = {
  '0001-registry': m0001,
  '0002-audit': m0002,
  '0003-identity': m0003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
