import type { OutboxNotice, WebhookEventType } from '../outbox/index.js';
import type { AuditedAction } from '../policy/index.js';
import type { DeployEvent } from './deploy.events.js';

const sha = (hex: string) => `sha256:${hex}`;

const notice = (type: WebhookEventType, data: Record<string, unknown>): OutboxNotice => ({ type, data });

/**
 * How a deploy event reads in the audit log. The wording (actions, resource names, detail keys) is what
 * operators and their tools search for: it changes only together with docs/audit.md.
 */
export function describeDeployEvent(e: DeployEvent): AuditedAction {
  const target = { resource: `deployment:${e.environment}/${e.model}`, team: e.owner };
  switch (e.type) {
    case 'deploy.requested':
      return {
        action: 'deploy:request',
        ...target,
        details: {
          request: e.request,
          version: e.version,
          digest: sha(e.digest),
          slot: e.slot,
          ...(e.percent !== null ? { percent: e.percent } : {}),
          gates: e.gatesPassed ? 'passed' : `failed: ${e.failedGates.join(',')}`,
          approvalsNeeded: e.approvalsNeeded,
        },
        notify: [
          notice('deployment.requested', {
            ...targetData(e),
            request: e.request,
            version: e.version,
            digest: sha(e.digest),
            slot: e.slot,
            percent: e.percent,
            approvalsNeeded: e.approvalsNeeded,
          }),
          ...(e.approvalsNeeded > 0
            ? [
                notice('deployment.approval_needed', {
                  ...targetData(e),
                  request: e.request,
                  version: e.version,
                  digest: sha(e.digest),
                  approvals: 0,
                  approvalsNeeded: e.approvalsNeeded,
                }),
              ]
            : []),
        ],
      };
    case 'deploy.approved':
    case 'deploy.rejected':
      return {
        action: e.type === 'deploy.approved' ? 'deploy:approve' : 'deploy:reject',
        ...target,
        details: {
          request: e.request,
          version: e.version,
          digest: sha(e.digest),
          reason: e.reason,
          approvals: e.approvals,
          approvalsNeeded: e.approvalsNeeded,
        },
        ...(e.type === 'deploy.rejected'
          ? {
              notify: notice('deployment.rejected', {
                ...targetData(e),
                request: e.request,
                version: e.version,
                digest: sha(e.digest),
                reason: e.reason,
              }),
            }
          : e.approvals < e.approvalsNeeded
            ? {
                notify: notice('deployment.approval_needed', {
                  ...targetData(e),
                  request: e.request,
                  version: e.version,
                  digest: sha(e.digest),
                  approvals: e.approvals,
                  approvalsNeeded: e.approvalsNeeded,
                }),
              }
            : {}),
      };
    case 'deploy.cancelled':
      return { action: 'deploy:cancel', ...target, details: { request: e.request, digest: sha(e.digest) } };
    case 'deploy.expired':
      return { action: 'deploy:expire', ...target, details: { request: e.request, digest: sha(e.digest) } };
    case 'deploy.superseded':
      return { action: 'deploy:supersede', ...target, details: { request: e.request, by: e.by } };
    case 'deploy.applied':
      return {
        action: 'deploy:apply',
        ...target,
        details: {
          request: e.request,
          deployment: e.deployment,
          version: e.version,
          digest: sha(e.digest),
          slot: e.slot,
          ...(e.percent !== null ? { percent: e.percent } : {}),
          previous: e.previousDigest ? sha(e.previousDigest) : null,
          revision: e.revision,
          automatic: e.automatic,
        },
        notify: [
          notice('deployment.applied', {
            ...targetData(e),
            request: e.request,
            deployment: e.deployment,
            version: e.version,
            digest: sha(e.digest),
            slot: e.slot,
            percent: e.percent,
            previousDigest: e.previousDigest ? sha(e.previousDigest) : null,
            revision: e.revision,
            automatic: e.automatic,
          }),
          ...(e.slot !== 'stable'
            ? [
                notice('canary.changed', {
                  ...targetData(e),
                  change: 'started',
                  mode: e.slot,
                  percent: e.percent,
                  version: e.version,
                  digest: sha(e.digest),
                  revision: e.revision,
                }),
              ]
            : []),
        ],
      };
    case 'deploy.promoted':
    case 'deploy.aborted':
      return {
        action: e.type === 'deploy.promoted' ? 'deploy:promote' : 'deploy:abort',
        ...target,
        details: {
          deployment: e.deployment,
          version: e.version,
          digest: sha(e.digest),
          slot: e.slot,
          reason: e.reason,
          revision: e.revision,
        },
        notify: notice('canary.changed', {
          ...targetData(e),
          change: e.type === 'deploy.promoted' ? 'promoted' : 'aborted',
          mode: e.slot,
          deployment: e.deployment,
          version: e.version,
          digest: sha(e.digest),
          reason: e.reason,
          revision: e.revision,
        }),
      };
    case 'deploy.rolled_back':
      return {
        action: 'deploy:rollback',
        ...target,
        details: {
          deployment: e.deployment,
          version: e.version,
          digest: sha(e.digest),
          from: sha(e.fromDigest),
          reason: e.reason,
          revision: e.revision,
        },
        notify: notice('deployment.rolled_back', {
          ...targetData(e),
          deployment: e.deployment,
          version: e.version,
          digest: sha(e.digest),
          fromDigest: sha(e.fromDigest),
          reason: e.reason,
          revision: e.revision,
        }),
      };
  }
}

function targetData(e: { environment: string; model: string; owner: string }) {
  return { environment: e.environment, model: e.model, owner: e.owner };
}
