import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GatewayMetrics } from '../../modules/gateway/index.js';
import type { AlertMetrics } from '../../modules/monitor/index.js';
import { counterTally, tallyHistogram } from './tallies.js';

export type WardenMetrics = ReturnType<typeof createPromMetrics>;

/** From 100 µs (a cached, guarded ONNX call on a small model) to 10 s (an upstream LLM). */
export const latencyBuckets = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The refusal codes the rate-limit and screening counters are derived from. */
const rateLimitedCode = 'gateway_rate_limited';
const blockedCode = 'gateway_input_blocked';

/**
 * Warden's Prometheus metrics, on a registry of their own (not prom-client's global one), so two servers
 * in one process, as in tests, never share or double-register counters.
 */
export function createPromMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const authFailures = new Counter({
    name: 'warden_auth_failures_total',
    help: 'Requests refused before reaching a route: failed authentications by reason, and rate_limited.',
    labelNames: ['reason'] as const,
    registers,
  });
  // Written on every inference request: counted in plain numbers, handed to prom-client when scraped.
  const requestLabels = ['model', 'digest', 'outcome', 'reason'] as const;
  const requestTally = counterTally(requestLabels);
  new Counter({
    name: 'warden_inference_requests_total',
    help: 'Inference requests answered, by model, the digest that answered, outcome and refusal reason.',
    labelNames: requestLabels,
    registers,
    collect() {
      requestTally.flush(this);
    },
  });
  const latency = tallyHistogram({
    name: 'warden_inference_request_duration_seconds',
    help: 'Time from the request arriving to the answer being sent, by model, digest and outcome.',
    labelNames: ['model', 'digest', 'outcome'] as const,
    buckets: latencyBuckets,
    registry,
  });
  const rateLimited = new Counter({
    name: 'warden_inference_rate_limited_total',
    help: 'Inference requests refused by a rate limit (429), by model.',
    labelNames: ['model'] as const,
    registers,
  });
  const screened = new Counter({
    name: 'warden_inference_screening_total',
    help: 'Inference requests the text screen blocked or flagged, by model and action.',
    labelNames: ['model', 'action'] as const,
    registers,
  });
  const loads = new Counter({
    name: 'warden_model_loads_total',
    help: 'Model version loads by the gateway: result "loaded", or the check that refused the version.',
    labelNames: ['model', 'slot', 'result'] as const,
    registers,
  });
  const loadSeconds = new Histogram({
    name: 'warden_model_load_duration_seconds',
    help: 'Time to read, verify and load a model version (loaded or refused).',
    labelNames: ['model'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const unloads = new Counter({
    name: 'warden_model_unloads_total',
    help: 'Model sessions closed after their version left service and their last request finished.',
    labelNames: ['model'] as const,
    registers,
  });
  const sessions = new Gauge({
    name: 'warden_model_sessions',
    help: 'Model sessions the gateway holds open now.',
    labelNames: ['model'] as const,
    registers,
  });
  // Written on every request once the buffer is full: kept as plain numbers and handed to prom-client when
  // scraped, so the hot path pays no label hashing for them.
  const pendingDrops = new Map<string, number>();
  let heldBytes = 0;
  new Counter({
    name: 'warden_observations_dropped_total',
    help: 'Observations the bounded observation buffer let go (oldest first) before anyone drained them.',
    labelNames: ['model'] as const,
    registers,
    collect() {
      for (const [model, count] of pendingDrops) this.inc({ model }, count);
      pendingDrops.clear();
    },
  });
  new Gauge({
    name: 'warden_observation_buffer_bytes',
    help: 'Bytes the observation buffer holds now, all deployments together.',
    registers,
    collect() {
      this.set(heldBytes);
    },
  });
  const guardSeconds = new Histogram({
    name: 'warden_inference_guard_duration_seconds',
    help: "Time each guard's hook took on one inference call (refusals included), by guard and hook.",
    labelNames: ['guard', 'hook'] as const,
    buckets: [
      0.000_005, 0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.0025, 0.005, 0.01, 0.05,
    ],
    registers,
  });

  const windowsLost = new Counter({
    name: 'warden_monitor_windows_lost_total',
    help: 'Window summaries the monitor dropped (oldest first) while its store was unavailable too long.',
    labelNames: ['model'] as const,
    registers,
  });

  const gateway: GatewayMetrics = {
    request(o) {
      requestTally.inc([o.model, o.digest, o.outcome, o.reason]);
      latency.observe([o.model, o.digest, o.outcome], o.seconds);
      if (o.reason === rateLimitedCode) rateLimited.inc({ model: o.model });
      else if (o.reason === blockedCode) screened.inc({ model: o.model, action: 'blocked' });
      if (o.flagged) screened.inc({ model: o.model, action: 'flagged' });
    },
    modelLoad(o) {
      loads.inc({ model: o.model, slot: o.slot, result: o.result });
      loadSeconds.observe({ model: o.model }, o.seconds);
      if (o.result === 'loaded') sessions.inc({ model: o.model });
    },
    modelUnloaded(model) {
      unloads.inc({ model });
      sessions.dec({ model });
    },
    observationsDropped: (model, count) => pendingDrops.set(model, (pendingDrops.get(model) ?? 0) + count),
    observationBytes: (bytes) => {
      heldBytes = bytes;
    },
    guardTime: (guard, hook, seconds) => guardSeconds.observe({ guard, hook }, seconds),
  };

  const alertsFiring = new Gauge({
    name: 'warden_monitor_alerts_firing',
    help: 'Monitor alerts firing now (1) or resolved (0), by environment, model, rule and severity.',
    labelNames: ['environment', 'model', 'rule', 'severity'] as const,
    registers,
  });
  const detectorValue = new Gauge({
    name: 'warden_monitor_detector_value',
    help: "A monitor detector's latest reading for a deployment (see docs/monitoring.md#detectors).",
    labelNames: ['environment', 'model', 'detector'] as const,
    registers,
  });
  const detectorThreshold = new Gauge({
    name: 'warden_monitor_detector_threshold',
    help: "The threshold a monitor detector's latest reading was compared with.",
    labelNames: ['environment', 'model', 'detector'] as const,
    registers,
  });
  const alertTransitions = new Counter({
    name: 'warden_monitor_alert_transitions_total',
    help: 'Monitor alerts fired and resolved, by environment, model, rule, severity and state reached.',
    labelNames: ['environment', 'model', 'rule', 'severity', 'state'] as const,
    registers,
  });
  type AlertLabels = { environment: string; model: string; rule: string; severity: string };
  const labelsOf = ({ environment, model, rule, severity }: AlertLabels): AlertLabels => ({
    environment,
    model,
    rule,
    severity,
  });
  const keyOf = (l: AlertLabels) => JSON.stringify([l.environment, l.model, l.rule, l.severity]);
  // The series this process shows as firing, so that one resolved elsewhere can be shown as resolved.
  let shownFiring = new Map<string, AlertLabels>();
  const monitor: AlertMetrics & { windowsLost(model: string, count: number): void } = {
    windowsLost: (model, count) => windowsLost.inc({ model }, count),
    reading(environment, model, r) {
      if (!Number.isFinite(r.value)) return;
      detectorValue.set({ environment, model, detector: r.detector }, r.value);
      detectorThreshold.set({ environment, model, detector: r.detector }, r.threshold);
    },
    transition(labels, firing) {
      const { environment, model, rule, severity } = labels;
      alertsFiring.set({ environment, model, rule, severity }, firing ? 1 : 0);
      if (firing) shownFiring.set(keyOf(labels), labelsOf(labels));
      else shownFiring.delete(keyOf(labels));
      alertTransitions.inc({ environment, model, rule, severity, state: firing ? 'firing' : 'resolved' });
    },
    firing(alerts) {
      const now = new Map(alerts.map((a) => [keyOf(a), labelsOf(a)]));
      for (const [key, labels] of shownFiring) if (!now.has(key)) alertsFiring.set(labels, 0);
      for (const labels of now.values()) alertsFiring.set(labels, 1);
      shownFiring = now;
    },
  };
  // Failed authentications so far, for the monitor's auth_failures detector (a rate it reads each minute).
  let authFailureCount = 0;

  return {
    countAuthFailure: (reason: string) => {
      authFailureCount++;
      authFailures.inc({ reason });
    },
    authFailuresSoFar: () => authFailureCount,
    /** The monitor's ports: detector values and alert transitions; windows lost to a store outage. */
    monitor,
    /** The gateway's port: requests, loads, unloads and the observation buffer. */
    gateway,
    contentType: registry.contentType,
    /** The Prometheus text exposition of every metric. */
    render: () => registry.metrics(),
  };
}
