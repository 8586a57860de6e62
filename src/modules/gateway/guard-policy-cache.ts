import type { Logger } from '../../platform/logger.js';
import { defaultGuardPolicy, type GuardPolicy, type GuardPolicySource } from './guard-policy.js';
import type { GuardPolicyStore } from './guard-policy.ports.js';
import { applyGuardPolicy, type PolicyBounds, parseGuardPolicyDocument } from './guard-policy-document.js';

export interface GuardPolicyCacheDeps {
  store: Pick<GuardPolicyStore, 'listForEnvironment'>;
  environment: string;
  bounds: PolicyBounds;
  logger: Logger;
  /** How often the stored policies are read again (default 1000 ms): a change elsewhere is seen within it. */
  refreshMs?: number;
}

/**
 * The gateway's view of its environment's guard policies, held in memory (the hot path reads no
 * database): every second it reads the stored policies again and swaps in those whose revision changed.
 * A read that fails keeps the last known policies; a deployment without a stored policy gets the defaults
 * (every guard on). Nothing here ever turns a guard off that a stored policy does not.
 */
export function createGuardPolicyCache(deps: GuardPolicyCacheDeps) {
  const { environment, logger } = deps;
  const refreshMs = deps.refreshMs ?? 1000;
  const defaults = Object.freeze(defaultGuardPolicy(deps.bounds));
  let held = new Map<string, { revision: number; policy: GuardPolicy }>();
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  let loaded = false;

  async function load(): Promise<void> {
    let records: Awaited<ReturnType<GuardPolicyStore['listForEnvironment']>>;
    try {
      records = await deps.store.listForEnvironment(environment);
    } catch (err) {
      logger.error({ err, environment }, 'could not read the guard policies; keeping the last known ones');
      return;
    }
    const next = new Map<string, { revision: number; policy: GuardPolicy }>();
    for (const record of records) {
      const current = held.get(record.model);
      if (current?.revision === record.revision) {
        next.set(record.model, current);
        continue;
      }
      const parsed = parseGuardPolicyDocument(record.document, deps.bounds);
      if (!parsed.ok) {
        // Valid when it was set; the server's limits changed since. The last good one (or the defaults) stays.
        logger.error(
          { environment, model: record.model, revision: record.revision, problems: parsed.problems },
          'a stored guard policy no longer fits the gateway settings; keeping the previous one',
        );
        if (current) next.set(record.model, current);
        continue;
      }
      const policy = applyGuardPolicy(defaults, parsed.document);
      next.set(record.model, { revision: record.revision, policy });
      logger.info({ environment, model: record.model, revision: record.revision }, 'guard policy in force');
    }
    held = next;
    loaded = true;
  }

  /**
   * Reads the stored policies: one read at a time, and a call made during a read gets a read that starts
   * after it (so a change that just committed is seen); calls while that one waits share it.
   */
  function refresh(): Promise<void> {
    if (queued) return queued;
    const next = chain.then(() => {
      queued = null;
      return load();
    });
    queued = next;
    chain = next;
    return next;
  }

  const source: GuardPolicySource & {
    start(): void;
    stop(): void;
    refresh(): Promise<void>;
    loaded(): boolean;
  } = {
    policyFor: (model) => held.get(model)?.policy ?? defaults,
    /** Reads now, then every `refreshMs` (idempotent). */
    start() {
      if (timer) return;
      void refresh();
      timer = setInterval(() => void refresh(), refreshMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    refresh,
    /** Whether one read has succeeded. */
    loaded: () => loaded,
  };
  return source;
}

export type GuardPolicyCache = ReturnType<typeof createGuardPolicyCache>;
