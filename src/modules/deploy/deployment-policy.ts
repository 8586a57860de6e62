import type { CallContext } from '../../platform/call-context.js';

/**
 * A document an operator keeps per deployment (the gateway's guard policy, monitoring's monitor policy), as
 * stored: every change is a new revision, with who made it, when and why.
 */
export interface DeploymentPolicyRecord<D> {
  environment: string;
  model: string;
  /** Only the fields the operator set; `{}` after a reset (everything at its default). */
  document: D;
  /** 1 for the first policy of the deployment, one more for each change (a reset included). */
  revision: number;
  setBy: string;
  setByName: string | null;
  setAt: string;
  reason: string | null;
}

/** The record of a change by `ctx` after `before` (null: the deployment's first policy). */
export function nextPolicyRevision<D>(
  before: Pick<DeploymentPolicyRecord<D>, 'revision'> | null,
  change: { environment: string; model: string; document: D; reason: string | null; at: string },
  ctx: CallContext,
): DeploymentPolicyRecord<D> {
  return {
    environment: change.environment,
    model: change.model,
    document: change.document,
    revision: (before?.revision ?? 0) + 1,
    setBy: ctx.principal.id,
    setByName: ctx.principal.name,
    setAt: change.at,
    reason: change.reason,
  };
}
