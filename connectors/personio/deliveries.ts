// Personio's v2 webhook deliveries: an unsigned JSON envelope
// `{company_id, event_name, occurred_at, payload, meta?}` whose payload holds ids
// only, with the subscription's token verbatim in `Authorization`. Nothing in it is
// trusted beyond "re-read these people": the gateway reads them with its own credentials.
import type { InboundEvent } from '../connector';

/** Events whose payload names a person (directly or through an employment). */
const PERSON_EVENTS = /^(person|employment)\./;

function idOf(v: unknown): string | null {
  if (typeof v === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(v)) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  return null;
}

function entity(payload: Record<string, unknown>, name: string): Record<string, unknown> | null {
  // Live payloads were seen with both spellings (absence_period / absence-period).
  const v = payload[name] ?? payload[name.replace(/_/g, '-')];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** The person an event is about: `payload.person.id`, else the employment's person. */
function personIdOf(payload: Record<string, unknown>): string | null {
  const person = entity(payload, 'person');
  const employment = entity(payload, 'employment');
  const nested = employment ? entity(employment, 'person') : null;
  return idOf(person?.id) ?? idOf(nested?.id) ?? idOf(payload.person_id) ?? idOf(employment?.person_id);
}

/** The id of the entity the event names (for telling duplicates apart), whatever its type. */
function entityIdOf(eventName: string, payload: Record<string, unknown>): string {
  const type = eventName.split('.')[0].replace(/-/g, '_');
  return idOf(entity(payload, type)?.id) ?? personIdOf(payload) ?? '';
}

export function parsePersonioDelivery(body: unknown): InboundEvent[] | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  const name = typeof b.event_name === 'string' ? b.event_name : null;
  const payload = b.payload && typeof b.payload === 'object' && !Array.isArray(b.payload) ? (b.payload as Record<string, unknown>) : null;
  if (!name || name.length > 100 || !payload) return null;
  const occurred = typeof b.occurred_at === 'string' ? new Date(b.occurred_at) : null;
  const occurredAt = occurred && !Number.isNaN(occurred.getTime()) ? occurred : null;
  const company = typeof b.company_id === 'string' || typeof b.company_id === 'number' ? String(b.company_id) : '';
  // Personio documents no event id: its retries and redeliveries repeat these four values exactly. An id, if sent, is used too.
  const eventId = typeof b.id === 'string' && b.id.length <= 100 ? b.id : '';
  const dedupeKey = [company, name, entityIdOf(name, payload), typeof b.occurred_at === 'string' ? b.occurred_at : '', eventId].join('|');
  const personId = PERSON_EVENTS.test(name) ? personIdOf(payload) : null;
  return [{ dedupeKey, name, personIds: personId ? [personId] : [], removal: name === 'person.deleted', occurredAt }];
}

/** The token Personio sends verbatim in `Authorization` (a `Bearer ` prefix, if any, is ours and is stripped). */
export function personioDeliveryToken(headers: Record<string, string | string[] | undefined>): string | null {
  const v = headers.authorization;
  if (typeof v !== 'string' || v.length === 0 || v.length > 512) return null;
  return v.replace(/^Bearer\s+/i, '');
}
