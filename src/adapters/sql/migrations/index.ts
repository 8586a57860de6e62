import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-registry.js';
import * as m0002 from './0002-audit.js';
import * as m0003 from './0003-identity.js';
import * as m0004 from './0004-version-scan.js';
import * as m0005 from './0005-signers.js';
import * as m0006 from './0006-version-deletion.js';
import * as m0007 from './0007-audit-actor.js';
import * as m0008 from './0008-registry-actor-names.js';
import * as m0009 from './0009-deploy.js';
import * as m0010 from './0010-attestations.js';
import * as m0011 from './0011-webhooks.js';
import * as m0012 from './0012-guard-policies.js';
import * as m0013 from './0013-console-sessions.js';
import * as m0014 from './0014-deploy-requests-state.js';
import * as m0015 from './0015-audit-outcome-index.js';
import * as m0016 from './0016-reference-datasets.js';
import * as m0017 from './0017-monitor-windows.js';
import * as m0018 from './0018-monitor-alerts.js';
import * as m0019 from './0019-monitor-readings.js';

/** The one migration tree for every dialect, listed statically so it works from source and from dist. */
const migrations: Record<string, Migration> = {
  '0001-registry': m0001,
  '0002-audit': m0002,
  '0003-identity': m0003,
  '0004-version-scan': m0004,
  '0005-signers': m0005,
  '0006-version-deletion': m0006,
  '0007-audit-actor': m0007,
  '0008-registry-actor-names': m0008,
  '0009-deploy': m0009,
  '0010-attestations': m0010,
  '0011-webhooks': m0011,
  '0012-guard-policies': m0012,
  '0013-console-sessions': m0013,
  '0014-deploy-requests-state': m0014,
  '0015-audit-outcome-index': m0015,
  '0016-reference-datasets': m0016,
  '0017-monitor-windows': m0017,
  '0018-monitor-alerts': m0018,
  '0019-monitor-readings': m0019,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
