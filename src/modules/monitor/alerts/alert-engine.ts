import type { CallContext } from '../../../platform/call-context.js';
import type { Clock } from '../../../platform/clock.js';
import { newId } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';
import type { UnitOfWork } from '../../../platform/unit-of-work.js';
import { type AutoRollback, deployErrors, deploymentResource } from '../../deploy/index.js';
import type { Access, AccessStores } from '../../policy/index.js';
import { type RegistryStore, registryErrors } from '../../registry/index.js';
import type { DetectorName } from '../detectors/detector-thresholds.js';
import { ruleOf } from '../detectors/detector-thresholds.js';
import { type IntervalCounters, intervalReadings } from '../detectors/interval-detectors.js';
import { referenceConfidence, windowReadings } from '../detectors/window-detectors.js';
import type { DetectorReading, ReferenceProfile, WindowSummary } from '../monitor.types.js';
import type { MonitorEvent } from './alert.events.js';
import type { AlertQuery, AlertRecord, MonitorAlertStore, MonitorAlertStores } from './alert.ports.js';
import type { AlertMetrics } from './alert-metrics.port.js';
import { freshState, step } from './alert-state.js';
import { inCooldown, type RollbackActions, rollsBack, takeRollback } from './auto-rollback.js';
import { createEvaluationBacklog } from './evaluation-backlog.js';
import { resolvePolicy } from './monitor-policy.js';

/** One served deployment's gateway counters over the last interval (the lead wires the gateway's). */
export interface IntervalSample {
  environment: string;
  model: string;
  version: number;
  digest: string;
  counters: IntervalCounters;
}

export interface AlertEngineDeps<S extends MonitorAlertStores & AccessStores> {
  uow: UnitOfWork<S>;
  read: {
    monitorAlerts: Pick<MonitorAlertStore, 'findPolicy' | 'lastRollback' | 'listAlerts'>;
    registry: Pick<RegistryStore, 'findModelByName'>;
  };
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  access: Pick<Access<MonitorEvent>, 'record' | 'require' | 'allows'>;
  /** Each configured environment's automatic rollback. */
  environments: Readonly<Record<string, { autoRollback: AutoRollback }>>;
  deploy: RollbackActions;
  /** The version's reference profile (for the confidence-vs-reference detector); absent: absolute only. */
  profiles?: { profileFor(model: string, version: number): Promise<ReferenceProfile | null> };
  /** The gateway counters of each served deployment since the last call (for `onInterval`). */
  intervals?: { samples(now: Date): Promise<IntervalSample[]> | IntervalSample[] };
  metrics?: AlertMetrics;
}

/** A page of alerts; `next` is the cursor of the following page (null on the last). */
export interface AlertPage {
  alerts: AlertRecord[];
  next: string | null;
}

interface Subject {
  environment: string;
  model: string;
  version: number;
  digest: string;
  windowId: string | null;
}

/**
 * Detectors → readings and rules → alerts → webhooks and automatic rollback. Each evaluation's readings and
 * every transition with its audit event (and the webhook notice it carries) are written on one transaction;
 * evaluations run one at a time in this process, and each holds its deployment's lock in the store, so
 * another process evaluating the same deployment waits: a rule's state is never read by two at once. An
 * evaluation the store refused waits in the backlog and runs again, in order, once it answers.
 */
export function createAlertEngine<S extends MonitorAlertStores & AccessStores>(deps: AlertEngineDeps<S>) {
  const { uow, read, clock, access } = deps;
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const backlog = createEvaluationBacklog(deps.logger);

  async function evaluate(
    subject: Subject,
    readings: (policy: ReturnType<typeof resolvePolicy>) => DetectorReading[],
  ) {
    const { environment, model } = subject;
    const owner = (await read.registry.findModelByName(model))?.owner;
    if (owner === undefined) return;
    const policy = resolvePolicy((await read.monitorAlerts.findPolicy(environment, model))?.document ?? null);
    const values = readings(policy);
    for (const r of values) deps.metrics?.reading(environment, model, r);
    const changed = await uow.run(async (stores) => {
      const store = stores.monitorAlerts;
      await store.lockDeployment(environment, model);
      const states = new Map((await store.ruleStates(environment, model)).map((s) => [s.rule, s]));
      const at = clock.now().toISOString();
      // Every evaluation's readings are kept (an empty list: read, and no detector had input).
      await store.saveReadings({
        environment,
        model,
        windowId: subject.windowId,
        at,
        digest: subject.digest,
        version: subject.version,
        kind: subject.windowId === null ? 'interval' : 'window',
        readings: values,
      });
      const out: { alert: AlertRecord; fired: boolean }[] = [];
      for (const r of values) {
        const rule = policy.rules[ruleOf(r.detector) as DetectorName];
        if (!rule) continue;
        const before = states.get(r.detector) ?? freshState(environment, model, r.detector);
        const { state, transition } = step(before, r.breached, rule, newId());
        if (transition === 'fire' && state.openAlert) {
          const alert: AlertRecord = {
            id: state.openAlert,
            environment,
            model,
            windowId: subject.windowId,
            digest: subject.digest,
            version: subject.version,
            rule: r.detector,
            severity: rule.severity,
            state: 'firing',
            value: r.value,
            threshold: r.threshold,
            firedAt: at,
            resolvedAt: null,
            updatedAt: at,
            rollback: null,
          };
          await store.insertAlert(alert);
          await access.record(stores, null, { type: 'monitor.alert_fired', alert, owner });
          out.push({ alert, fired: true });
        } else if ((transition === 'update' || transition === 'resolve') && before.openAlert) {
          const open = await store.findAlert(before.openAlert);
          if (open) {
            const resolved = transition === 'resolve';
            const alert: AlertRecord = {
              ...open,
              value: r.value,
              threshold: r.threshold,
              updatedAt: at,
              ...(resolved ? { state: 'resolved' as const, resolvedAt: at } : {}),
            };
            await store.updateAlert(alert);
            if (resolved) {
              await access.record(stores, null, { type: 'monitor.alert_resolved', alert, owner });
              out.push({ alert, fired: false });
            }
          }
        }
        if (
          state.breaches !== before.breaches ||
          state.clean !== before.clean ||
          state.openAlert !== before.openAlert
        )
          await store.saveRuleState(state, at);
      }
      return out;
    });
    for (const { alert, fired } of changed) deps.metrics?.transition(alert, fired);
    // Committed: a rollback that fails is logged, never a reason to evaluate these readings again.
    for (const { alert } of changed.filter((c) => c.fired))
      await autoRollback(alert).catch((err) =>
        deps.logger.error({ err, alert: alert.id }, 'automatic rollback failed'),
      );
  }

  async function autoRollback(alert: AlertRecord) {
    const settings = deps.environments[alert.environment]?.autoRollback;
    if (!rollsBack(settings, alert)) return;
    const now = clock.now();
    const at = now.toISOString();
    const last = await read.monitorAlerts.lastRollback(alert.environment, alert.model);
    const outcome = inCooldown(last, now, settings)
      ? {
          action: 'cooldown' as const,
          at,
          deployment: null,
          detail: `after alert ${last?.alert} at ${last?.at}`,
        }
      : await takeRollback(deps.deploy, alert, at);
    if (outcome.action === 'failed')
      deps.logger.warn({ alert: alert.id, code: outcome.detail }, 'automatic rollback refused');
    await uow.run(async (stores) => {
      await stores.monitorAlerts.setRollback(alert.id, outcome);
      if (outcome.action === 'rolled_back' || outcome.action === 'aborted')
        await stores.monitorAlerts.saveRollback(alert.environment, alert.model, at, alert.id);
    });
  }

  return {
    /** Reads a closed window's detectors and moves its deployment's alerts (the windows part calls it). */
    onWindow(summary: WindowSummary): Promise<void> {
      return serially(() =>
        backlog.run([
          async () => {
            const profile = (await deps.profiles?.profileFor(summary.model, summary.version)) ?? null;
            const reference = referenceConfidence(profile);
            await evaluate({ ...summary, windowId: summary.id }, (policy) =>
              windowReadings(summary, policy.thresholds, reference),
            );
          },
        ]),
      );
    },
    /** Reads the gateway counters of every served deployment and moves their alerts (once a minute). */
    onInterval(now: Date): Promise<void> {
      return serially(async () => {
        let samples: IntervalSample[];
        try {
          samples = (await deps.intervals?.samples(now)) ?? [];
        } catch (err) {
          backlog.failed(err);
          return;
        }
        await backlog.run(
          samples.map(
            (s) => () =>
              evaluate({ ...s, windowId: null }, (policy) => intervalReadings(s.counters, policy.thresholds)),
          ),
        );
      });
    },
    /**
     * Shows the stored firing alerts on the metrics (at start, and each minute: another process sharing
     * the database may have fired or resolved some).
     */
    syncMetrics(): Promise<void> {
      return serially(async () => {
        const metrics = deps.metrics;
        if (!metrics) return;
        const firing: AlertRecord[] = [];
        for (const environment of Object.keys(deps.environments))
          for (let before: string | undefined, more = true; more; ) {
            const page = await read.monitorAlerts.listAlerts(environment, {
              state: 'firing',
              before,
              limit: 500,
            });
            firing.push(...page);
            more = page.length === 500;
            before = page.at(-1)?.id;
          }
        metrics.firing(firing);
      });
    },
    /** Evaluations waiting for the store (it failed; they run again, in order, before the next ones). */
    get waiting(): number {
      return backlog.waiting;
    },
    /** One environment's alerts, newest first, as far as the caller may read them (`monitor:read`). */
    async alerts(ctx: CallContext, environment: string, query: AlertQuery): Promise<AlertPage> {
      if (!(environment in deps.environments))
        throw deployErrors.environmentNotFound(environment, Object.keys(deps.environments));
      const page = (rows: AlertRecord[], alerts: AlertRecord[]): AlertPage => ({
        alerts,
        next: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null,
      });
      if (query.model !== undefined) {
        const model = await read.registry.findModelByName(query.model);
        if (!model) throw registryErrors.modelNotFound(query.model);
        await access.require(ctx, 'monitor:read', deploymentResource(model, environment));
        const rows = await read.monitorAlerts.listAlerts(environment, query);
        return page(rows, rows);
      }
      const rows = await read.monitorAlerts.listAlerts(environment, query);
      const allowed = new Map<string, boolean>();
      for (const name of new Set(rows.map((a) => a.model))) {
        const model = await read.registry.findModelByName(name);
        allowed.set(
          name,
          model !== null && access.allows(ctx, 'monitor:read', deploymentResource(model, environment)),
        );
      }
      return page(
        rows,
        rows.filter((a) => allowed.get(a.model)),
      );
    },
  };
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;
