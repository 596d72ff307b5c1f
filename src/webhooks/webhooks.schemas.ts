import type { SchemaObject } from 'openapi3-ts/oas31';
import { arrayOf, bool, dateTime, enumOf, int, ndateTime, nstr, nullable, obj, str } from '../openapi/schemas';

/** Response schemas of the webhook routes (the `data` inside the success envelope). */
export const endpointSchema: SchemaObject = obj({
  id: str(),
  url: str(),
  description: nstr(),
  events: arrayOf(str()),
  record_events: bool(),
  enabled: bool(),
  previous_secret_expires_at: ndateTime('Until when the secret replaced by the last rotation still signs deliveries.'),
  created_at: dateTime(),
  updated_at: dateTime(),
});

export const endpointWithSecretSchema: SchemaObject = {
  ...endpointSchema,
  properties: { ...endpointSchema.properties, secret: str('The signing secret (`whsec_…`). Shown only here: store it now.') },
  required: [...(endpointSchema.required ?? []), 'secret'],
};

const STATUSES = ['pending', 'succeeded', 'failed'] as const;

export const deliverySchema: SchemaObject = obj({
  id: str(),
  endpoint_id: str(),
  status: enumOf(STATUSES),
  attempts: int(),
  next_attempt_at: ndateTime(),
  last_status_code: nullable(int()),
  last_error: nstr(),
  first_attempt_at: ndateTime(),
  completed_at: ndateTime(),
});

export const attemptSchema: SchemaObject = obj({
  delivery_id: str(),
  endpoint_id: str(),
  attempt: int(),
  started_at: dateTime(),
  status_code: nullable(int()),
  latency_ms: nullable(int()),
  error: nstr(),
  outcome: enumOf(['succeeded', 'retry', 'failed']),
});

export const eventSchema: SchemaObject = obj({
  id: str('The event id, also the envelope `id` and the `webhook-id` header.'),
  type: str(),
  integration_id: nstr(),
  created_at: dateTime(),
  data: { type: 'object', description: 'The payload `data`, exactly as sent.' },
  deliveries: arrayOf(deliverySchema),
});

export const eventDetailSchema: SchemaObject = {
  ...eventSchema,
  properties: { ...eventSchema.properties, attempts: arrayOf(attemptSchema) },
  required: [...(eventSchema.required ?? []), 'attempts'],
};

export const eventPageSchema: SchemaObject = obj({ next: nstr(), results: arrayOf(eventSchema) });
