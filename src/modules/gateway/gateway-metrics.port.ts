/**
 * What the gateway counts, behind a port so the module stays free of any metrics library: the Prometheus
 * adapter implements it, tests and tools may pass `noGatewayMetrics`. Every label is bounded: model names
 * come from the deploy module (never from a request path), digests from the versions loaded, reasons from
 * error codes; never a principal, an address or a path.
 */
export type InferenceOutcome = 'ok' | 'client_error' | 'server_error';

/** One answered inference request, as the transport saw it. */
export interface InferenceObservation {
  /** A served model's name, or `unknownModel` when the name is none the gateway serves. */
  model: string;
  /** The digest that answered, or '' when none was chosen (refused before routing). */
  digest: string;
  outcome: InferenceOutcome;
  /** The refusal's error code (`gateway_rate_limited`…), or '' for a success. */
  reason: string;
  /** True when a screening guard flagged the request without blocking it. */
  flagged: boolean;
  seconds: number;
}

export interface ModelLoadObservation {
  model: string;
  slot: 'stable' | 'candidate';
  /** `loaded`, or the check that refused the version (`signature`, `digest`, `format`, `runtime`…). */
  result: string;
  seconds: number;
}

export interface GatewayMetrics {
  request(observation: InferenceObservation): void;
  modelLoad(observation: ModelLoadObservation): void;
  /** A session closed: its version is out of service and its last request finished. */
  modelUnloaded(model: string): void;
  /** Observations the buffer let go, oldest first, to stay within its bytes. */
  observationsDropped(model: string, count: number): void;
  /** The bytes the observation buffer holds now, all deployments together. */
  observationBytes(bytes: number): void;
}

/** The model label of a request naming no model the gateway serves (bounded: never the raw name). */
export const unknownModel = '_unknown';

export const noGatewayMetrics: GatewayMetrics = {
  request: () => {},
  modelLoad: () => {},
  modelUnloaded: () => {},
  observationsDropped: () => {},
  observationBytes: () => {},
};
