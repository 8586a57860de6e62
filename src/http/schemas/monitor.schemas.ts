import Type from 'typebox';
import { Slug, Timestamp } from './common.schemas.js';
import { RequestId } from './deploy.schemas.js';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Role = Type.Union(
  ['feature', 'prediction', 'probability', 'target', 'ignored'].map((r) => Type.Literal(r)),
);
const Kind = Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]);
export const Test = Type.Union(
  ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi'].map((t) => Type.Literal(t)),
);

const PolicyLevel = Type.Union(['column', 'kind', 'global'].map((n) => Type.Literal(n)));

export const WindowIdParams = Type.Object({ env: Slug, id: RequestId }, strict);

export const ReportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('html'), Type.Literal('json')], {
        default: 'html',
        description: 'html: one self-contained page; json: the same content as data (schemaVersion 1)',
      }),
    ),
  },
  strict,
);

/** The report is sent as it was rendered: an HTML page or a JSON document (docs/monitoring.md#drift-reports). */
export const ReportResponse = Type.String({
  description: 'The drift report: text/html (self-contained) or application/json, as an attachment',
});

export const WindowListQuery = Type.Object(
  {
    model: Slug,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(RequestId),
  },
  strict,
);

export const StatusQuery = Type.Object({ model: Slug }, strict);

const ColumnDrift = Type.Object(
  {
    column: Type.String(),
    role: Role,
    kind: Kind,
    test: Test,
    value: Type.Number(),
    statistic: Nullable(Type.Number()),
    threshold: Type.Number(),
    drifted: Type.Boolean(),
    referenceCount: Type.Integer(),
    currentCount: Type.Integer(),
    noData: Type.Optional(Type.Union(['reference', 'current', 'both'].map((n) => Type.Literal(n)))),
    chosenBy: Type.Optional(
      Type.Object(
        { test: Type.Optional(PolicyLevel), threshold: Type.Optional(PolicyLevel) },
        { description: "Where the monitor policy set the test or threshold (absent: Evidently's default)" },
      ),
    ),
  },
  strict,
);

const DatasetDrift = Type.Object(
  {
    columns: Type.Integer(),
    drifted: Type.Integer(),
    share: Type.Number(),
    threshold: Type.Number(),
    detected: Type.Boolean(),
  },
  strict,
);

const Histogram = Type.Object(
  {
    column: Type.String(),
    edges: Nullable(Type.Array(Type.Number())),
    labels: Nullable(Type.Array(Type.String())),
    reference: Type.Array(Type.Number()),
    current: Type.Array(Type.Number()),
  },
  strict,
);

const Prediction = Type.Object(
  {
    rows: Type.Integer(),
    uniqueRatio: Type.Number(),
    topClass: Nullable(Type.String()),
    topClassShare: Type.Number(),
    meanConfidence: Nullable(Type.Number()),
  },
  strict,
);

/** One detector reading as stored (docs/monitoring.md#detector-readings). */
const Reading = Type.Object(
  {
    detector: Type.String({
      description: 'dataset_drift, column_drift:<column>, confidence_drop, error_rate, p99_latency_ms…',
    }),
    value: Nullable(Type.Number({ description: 'null when the value was not a finite number' })),
    threshold: Nullable(Type.Number({ description: 'null when the threshold was not a finite number' })),
    breached: Type.Boolean(),
    direction: Type.Union([Type.Literal('above'), Type.Literal('below')], {
      description: 'Which side of the threshold is bad',
    }),
  },
  strict,
);

const Readings = Nullable(
  Type.Array(Reading, {
    description: "The alert engine's readings of this window; null when it was never evaluated",
  }),
);

export const WindowSummaryResponse = Type.Object(
  {
    id: Type.String(),
    environment: Type.String(),
    model: Type.String(),
    version: Type.Integer(),
    digest: Type.String(),
    start: Timestamp,
    end: Timestamp,
    closedBy: Type.Union([Type.Literal('count'), Type.Literal('time'), Type.Literal('shutdown')]),
    requests: Type.Integer(),
    rows: Type.Integer(),
    drift: Nullable(Type.Object({ columns: Type.Array(ColumnDrift), dataset: DatasetDrift }, strict)),
    histograms: Type.Array(Histogram),
    prediction: Nullable(Prediction),
    labels: Type.Object(
      { count: Type.Integer(), accuracy: Nullable(Type.Number()), f1: Nullable(Type.Number()) },
      strict,
    ),
    readings: Readings,
  },
  strict,
);

export const WindowPageResponse = Type.Object(
  { items: Type.Array(WindowSummaryResponse), next: Nullable(Type.String()) },
  strict,
);

export const MonitorStatusResponse = Type.Object(
  {
    environment: Type.String(),
    model: Type.String(),
    open: Type.Array(
      Type.Object(
        {
          version: Type.Integer(),
          digest: Type.String(),
          openedAt: Timestamp,
          requests: Type.Integer(),
          rows: Type.Integer(),
        },
        strict,
      ),
    ),
    lastClosed: Nullable(WindowSummaryResponse),
    pendingWrites: Type.Integer(),
    lostWindows: Type.Integer(),
    latestInterval: Nullable(
      Type.Object(
        { at: Timestamp, readings: Type.Array(Reading) },
        { ...strict, description: "The detectors' latest reading of the gateway's counters (one a minute)" },
      ),
    ),
  },
  strict,
);

/** At most this many labels per call. */
export const maxLabelsPerCall = 10_000;

export const LabelsBody = Type.Object(
  {
    model: Slug,
    labels: Type.Array(
      Type.Object(
        {
          requestId: RequestId,
          value: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Number(), Type.Boolean()]),
        },
        strict,
      ),
      { minItems: 1, maxItems: maxLabelsPerCall },
    ),
  },
  strict,
);

export const LabelsResponse = Type.Object(
  { accepted: Type.Integer(), unknown: Type.Array(Type.String()) },
  strict,
);
