import Type from 'typebox';
import { webhookEventTypes } from '../../modules/outbox/index.js';
import { deliveryStates, maxWebhookUrlLength } from '../../modules/webhooks/index.js';
import { Timestamp } from './common.schemas.js';

const uuidPattern = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const EndpointId = Type.String({ pattern: uuidPattern, description: 'The endpoint id (a UUID).' });
const EventSelector = Type.Union(
  ['*', ...webhookEventTypes].map((e) => Type.Literal(e)),
  { description: `* (every event) or one of ${webhookEventTypes.join(', ')}.` },
);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({
      maxLength: maxWebhookUrlLength,
      description:
        'http(s) URL of the receiver, without credentials; its host must resolve to public addresses.',
    }),
    // Checked by the service, so an unknown name is answered with its own code (webhook_event_unknown).
    events: Type.Array(Type.String({ maxLength: 64 }), {
      minItems: 1,
      maxItems: 20,
      description: `Event types to receive, or ["*"] for all: ${webhookEventTypes.join(', ')}.`,
    }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const WebhookParams = Type.Object({ id: EndpointId }, { additionalProperties: false });

const endpointFields = {
  id: EndpointId,
  url: Type.String(),
  events: Type.Array(EventSelector),
  description: NullableString,
  secretHint: Type.String({ description: 'The first characters of the secret, to tell secrets apart.' }),
  createdBy: Type.String(),
  createdByName: NullableString,
  createdAt: Timestamp,
};

export const WebhookEndpoint = Type.Object(endpointFields, { additionalProperties: false });

export const CreatedWebhook = Type.Object(
  {
    ...endpointFields,
    secret: Type.String({
      description: 'The Standard Webhooks signing secret (whsec_…): shown in this answer only, never again.',
    }),
  },
  { additionalProperties: false },
);

export const DeliveriesQuery = Type.Object(
  {
    endpoint: Type.Optional(EndpointId),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(
      Type.String({ pattern: uuidPattern, description: 'A delivery id: the page after it.' }),
    ),
  },
  { additionalProperties: false },
);

export const EndpointDeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    after: Type.Optional(Type.String({ pattern: uuidPattern })),
  },
  { additionalProperties: false },
);

export const WebhookDelivery = Type.Object(
  {
    id: Type.String(),
    endpointId: EndpointId,
    eventId: Type.String({ description: 'The webhook-id header of every attempt.' }),
    eventType: Type.Union(webhookEventTypes.map((e) => Type.Literal(e))),
    state: Type.Union(deliveryStates.map((s) => Type.Literal(s))),
    attempts: Type.Integer(),
    lastStatus: NullableInteger,
    lastError: NullableString,
    lastDurationMs: NullableInteger,
    nextAttemptAt: Type.Union([Timestamp, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    finishedAt: Type.Union([Timestamp, Type.Null()]),
    history: Type.Array(
      Type.Object(
        {
          attempt: Type.Integer(),
          at: Timestamp,
          durationMs: Type.Integer(),
          status: NullableInteger,
          error: NullableString,
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
