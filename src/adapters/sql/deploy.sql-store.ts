import type { Kysely, Selectable } from 'kysely';
import type {
  ApprovalRecord,
  DeploymentRecord,
  DeployRequestRecord,
  DeployStore,
  LiveRecord,
} from '../../modules/deploy/index.js';
import type { Page } from '../../platform/page.js';
import type { Database } from './database.js';
import type { SqlCapabilities } from './db.js';

/** Kysely's view of the deploy tables (migration 0009); gate results and snapshots are JSON in TEXT. */
export type DeployTables = {
  deploy_requests: {
    id: string;
    environment: string;
    model_id: string;
    version_id: string;
    digest: string;
    slot: string;
    percent: number | null;
    state: string;
    gates: string;
    gate_hash: string;
    gates_passed: number;
    base_deployment_id: string | null;
    requested_by: string;
    requested_by_name: string;
    reason: string | null;
    created_at: string;
    expires_at: string;
    closed_at: string | null;
    closed_by: string | null;
    closed_reason: string | null;
  };
  deploy_approvals: {
    id: string;
    request_id: string;
    approver: string;
    approver_name: string;
    approver_snapshot: string;
    decision: string;
    reason: string;
    digest: string;
    gate_hash: string;
    created_at: string;
    expires_at: string;
  };
  deploy_revisions: { environment: string; revision: number; updated_at: string };
  deployments: {
    id: string;
    environment: string;
    model_id: string;
    request_id: string | null;
    version_id: string;
    digest: string;
    action: string;
    slot: string;
    percent: number | null;
    previous_digest: string | null;
    rolled_back: number;
    actor: string;
    actor_name: string;
    reason: string | null;
    revision: number;
    at: string;
  };
  deploy_live: {
    environment: string;
    model_id: string;
    stable_deployment_id: string | null;
    stable_version_id: string | null;
    stable_digest: string | null;
    candidate_deployment_id: string | null;
    candidate_version_id: string | null;
    candidate_digest: string | null;
    candidate_mode: string | null;
    candidate_percent: number | null;
    revision: number;
    updated_at: string;
  };
};

/** The deploy store bound to one connection or transaction. */
export function createDeploySqlStore(executor: Kysely<Database>, capabilities: SqlCapabilities): DeployStore {
  const db = executor.withTables<DeployTables>();
  const revisionOf = async (environment: string, lock: boolean) => {
    let q = db.selectFrom('deploy_revisions').select('revision').where('environment', '=', environment);
    if (lock && capabilities.rowLocks) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? Number(row.revision) : null;
  };
  return {
    async lockEnvironment(environment) {
      const found = await revisionOf(environment, true);
      if (found !== null) return found;
      // The first change to an environment creates its row; a racing first change waits on the key.
      await db
        .insertInto('deploy_revisions')
        .values({ environment, revision: 0, updated_at: new Date(0).toISOString() })
        .onConflict((oc) => oc.column('environment').doNothing())
        .execute();
      return (await revisionOf(environment, true)) ?? 0;
    },
    async setRevision(environment, revision, at) {
      await db
        .updateTable('deploy_revisions')
        .set({ revision, updated_at: at })
        .where('environment', '=', environment)
        .execute();
    },
    async revision(environment) {
      return (await revisionOf(environment, false)) ?? 0;
    },

    async insertRequest(r) {
      await db.insertInto('deploy_requests').values(requestRow(r)).execute();
    },
    async findRequest(id) {
      const row = await db.selectFrom('deploy_requests').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRequest(row) : null;
    },
    async transitionRequest(id, from, to, close) {
      const result = await db
        .updateTable('deploy_requests')
        .set({
          state: to,
          ...(close ? { closed_at: close.at, closed_by: close.by, closed_reason: close.reason } : {}),
        })
        .where('id', '=', id)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async listRequests({ environment, modelId, states, limit, after }) {
      let q = db.selectFrom('deploy_requests').selectAll();
      if (environment) q = q.where('environment', '=', environment);
      if (modelId) q = q.where('model_id', '=', modelId);
      if (states?.length) q = q.where('state', 'in', [...states]);
      if (after) q = q.where('id', '<', after);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return paged(rows.slice(0, limit).map(toRequest), rows.length > limit, (r) => r.id);
    },

    async insertApproval(a) {
      await db
        .insertInto('deploy_approvals')
        .values({
          id: a.id,
          request_id: a.requestId,
          approver: a.approver,
          approver_name: a.approverName,
          approver_snapshot: JSON.stringify(a.approverSnapshot),
          decision: a.decision,
          reason: a.reason,
          digest: a.digest,
          gate_hash: a.gateHash,
          created_at: a.createdAt,
          expires_at: a.expiresAt,
        })
        .execute();
    },
    async listApprovals(requestId) {
      const rows = await db
        .selectFrom('deploy_approvals')
        .selectAll()
        .where('request_id', '=', requestId)
        .orderBy('id')
        .execute();
      return rows.map(toApproval);
    },

    async findLive(environment, modelId) {
      const row = await db
        .selectFrom('deploy_live')
        .selectAll()
        .where('environment', '=', environment)
        .where('model_id', '=', modelId)
        .executeTakeFirst();
      return row ? toLive(row) : null;
    },
    async upsertLive(l) {
      const row = liveRow(l);
      const { environment: _e, model_id: _m, ...update } = row;
      await db
        .insertInto('deploy_live')
        .values(row)
        .onConflict((oc) => oc.columns(['environment', 'model_id']).doUpdateSet(update))
        .execute();
    },
    async listLive(environment) {
      const rows = await db
        .selectFrom('deploy_live')
        .selectAll()
        .where('environment', '=', environment)
        .orderBy('model_id')
        .execute();
      return rows.map(toLive);
    },

    async insertDeployment(d) {
      await db
        .insertInto('deployments')
        .values({
          id: d.id,
          environment: d.environment,
          model_id: d.modelId,
          request_id: d.requestId,
          version_id: d.versionId,
          digest: d.digest,
          action: d.action,
          slot: d.slot,
          percent: d.percent,
          previous_digest: d.previousDigest,
          rolled_back: d.rolledBack ? 1 : 0,
          actor: d.actor,
          actor_name: d.actorName,
          reason: d.reason,
          revision: d.revision,
          at: d.at,
        })
        .execute();
    },
    async findDeployment(id) {
      const row = await db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDeployment(row) : null;
    },
    async markRolledBack(id) {
      await db.updateTable('deployments').set({ rolled_back: 1 }).where('id', '=', id).execute();
    },
    async listDeployments({ environment, modelId, limit, after }) {
      let q = db
        .selectFrom('deployments')
        .selectAll()
        .where('environment', '=', environment)
        .where('model_id', '=', modelId);
      if (after) q = q.where('id', '<', after);
      const rows = await q
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return paged(rows.slice(0, limit).map(toDeployment), rows.length > limit, (d) => d.id);
    },
    async listStableDeployments(environment, modelId, limit) {
      const rows = await db
        .selectFrom('deployments')
        .selectAll()
        .where('environment', '=', environment)
        .where('model_id', '=', modelId)
        .where('slot', '=', 'stable')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDeployment);
    },
  };
}

function paged<T>(items: T[], more: boolean, key: (item: T) => string): Page<T> {
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? key(last) : null };
}

function requestRow(r: DeployRequestRecord): DeployTables['deploy_requests'] {
  return {
    id: r.id,
    environment: r.environment,
    model_id: r.modelId,
    version_id: r.versionId,
    digest: r.digest,
    slot: r.slot,
    percent: r.percent,
    state: r.state,
    gates: JSON.stringify(r.gates),
    gate_hash: r.gates.hash,
    gates_passed: r.gates.passed ? 1 : 0,
    base_deployment_id: r.baseDeploymentId,
    requested_by: r.requestedBy,
    requested_by_name: r.requestedByName,
    reason: r.reason,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    closed_at: r.closedAt,
    closed_by: r.closedBy,
    closed_reason: r.closedReason,
  };
}

function toRequest(row: Selectable<DeployTables['deploy_requests']>): DeployRequestRecord {
  return {
    id: row.id,
    environment: row.environment,
    modelId: row.model_id,
    versionId: row.version_id,
    digest: row.digest,
    slot: row.slot as DeployRequestRecord['slot'],
    percent: row.percent === null ? null : Number(row.percent),
    state: row.state as DeployRequestRecord['state'],
    gates: JSON.parse(row.gates),
    baseDeploymentId: row.base_deployment_id,
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    reason: row.reason,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    closedReason: row.closed_reason,
  };
}

function toApproval(row: Selectable<DeployTables['deploy_approvals']>): ApprovalRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    approver: row.approver,
    approverName: row.approver_name,
    approverSnapshot: JSON.parse(row.approver_snapshot),
    decision: row.decision as ApprovalRecord['decision'],
    reason: row.reason,
    digest: row.digest,
    gateHash: row.gate_hash,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

function liveRow(l: LiveRecord): DeployTables['deploy_live'] {
  return {
    environment: l.environment,
    model_id: l.modelId,
    stable_deployment_id: l.stable?.deploymentId ?? null,
    stable_version_id: l.stable?.versionId ?? null,
    stable_digest: l.stable?.digest ?? null,
    candidate_deployment_id: l.candidate?.deploymentId ?? null,
    candidate_version_id: l.candidate?.versionId ?? null,
    candidate_digest: l.candidate?.digest ?? null,
    candidate_mode: l.candidate?.mode ?? null,
    candidate_percent: l.candidate?.percent ?? null,
    revision: l.revision,
    updated_at: l.updatedAt,
  };
}

function toLive(row: Selectable<DeployTables['deploy_live']>): LiveRecord {
  return {
    environment: row.environment,
    modelId: row.model_id,
    stable:
      row.stable_deployment_id && row.stable_version_id && row.stable_digest
        ? {
            deploymentId: row.stable_deployment_id,
            versionId: row.stable_version_id,
            digest: row.stable_digest,
          }
        : null,
    candidate:
      row.candidate_deployment_id && row.candidate_version_id && row.candidate_digest && row.candidate_mode
        ? {
            deploymentId: row.candidate_deployment_id,
            versionId: row.candidate_version_id,
            digest: row.candidate_digest,
            mode: row.candidate_mode as 'canary' | 'shadow',
            percent: Number(row.candidate_percent ?? 0),
          }
        : null,
    revision: Number(row.revision),
    updatedAt: row.updated_at,
  };
}

function toDeployment(row: Selectable<DeployTables['deployments']>): DeploymentRecord {
  return {
    id: row.id,
    environment: row.environment,
    modelId: row.model_id,
    requestId: row.request_id,
    versionId: row.version_id,
    digest: row.digest,
    action: row.action as DeploymentRecord['action'],
    slot: row.slot as DeploymentRecord['slot'],
    percent: row.percent === null ? null : Number(row.percent),
    previousDigest: row.previous_digest,
    rolledBack: Number(row.rolled_back) === 1,
    actor: row.actor,
    actorName: row.actor_name,
    reason: row.reason,
    revision: Number(row.revision),
    at: row.at,
  };
}
