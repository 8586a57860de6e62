import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-registry.js';

/** The one migration tree for every dialect, listed statically so it works from source and from dist. */
const migrations: Record<string, Migration> = {
  '0001-registry': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
