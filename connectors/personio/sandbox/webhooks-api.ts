import { Reply, json } from './http-util';
import { SandboxState } from './state';
import { badRequest, decodeCursor, limitParam, notFound, page, problem } from './v2-http';
import { StoredWebhook, WEBHOOK_STATUSES, checkScheme, conflict, renderWebhook, validateWebhook } from './webhooks';

const RETENTION_MS = 30 * 86_400_000;
const nowIso = (s: SandboxState) => new Date(s.clock.now()).toISOString();

function single(state: SandboxState, status: number, w: StoredWebhook): Reply {
  const body = renderWebhook(w, state.webhookSettings);
  return json(status, state.webhookSettings.wrapSingleResponses ? { _data: body } : body);
}

function parseBody(raw: Buffer): Record<string, unknown> | Reply {
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  return badRequest('The request body must be a JSON object.');
}

const isReply = (v: unknown): v is Reply => typeof v === 'object' && v !== null && 'status' in v && 'contentType' in v;

/** Validates, applies scheme/conflict rules, stores; shared by POST and PATCH. */
function save(state: SandboxState, raw: Buffer, existing: StoredWebhook | null): Reply {
  const body = parseBody(raw);
  if (isReply(body)) return body;
  const next = validateWebhook(body, existing, nowIso(state));
  if (isReply(next)) return next;
  const scheme = checkScheme(next, state.webhookSettings);
  if (scheme) return scheme;
  if (state.webhookSettings.conflictOnDuplicateUrl && [...state.webhooks.values()].some((w) => w.id !== next.id && w.url === next.url))
    return conflict(next.url);
  state.webhooks.set(next.id, next);
  return single(state, existing ? 200 : 201, next);
}

export const createWebhook = (state: SandboxState, raw: Buffer) => save(state, raw, null);

export function patchWebhook(state: SandboxState, id: string, raw: Buffer): Reply {
  const w = state.webhooks.get(id);
  return w ? save(state, raw, w) : notFound();
}

export function getWebhook(state: SandboxState, id: string): Reply {
  const w = state.webhooks.get(id);
  return w ? single(state, 200, w) : notFound();
}

export function deleteWebhook(state: SandboxState, id: string): Reply {
  if (!state.webhooks.delete(id)) return notFound();
  return { status: 204, body: '', contentType: 'application/json' };
}

export function listWebhooks(state: SandboxState, path: string, q: URLSearchParams): Reply {
  const limit = limitParam(q.get('limit'), 100, 200);
  const offset = decodeCursor(q.get('cursor'));
  if (limit === null || offset === null) return badRequest('Provided request parameters are invalid.');
  const status = q.get('status');
  if (status && !WEBHOOK_STATUSES.includes(status)) return badRequest('Provided request parameters are invalid.', { parameter: 'status' });
  const event = q.get('enabled_events');
  const items = [...state.webhooks.values()]
    .filter((w) => (!status || w.status === status) && (!event || w.enabled_events.includes(event)))
    .map((w) => renderWebhook(w, state.webhookSettings));
  return page(items, offset, limit, state.baseUrl, path, q);
}

function range(q: URLSearchParams, field: string): { gte: number; lte: number } | null {
  const parse = (k: string, dflt: number) => {
    const raw = q.get(`${field}.${k}`);
    if (raw === null || raw === '') return dflt;
    const ms = Date.parse(raw);
    return Number.isNaN(ms) ? null : ms;
  };
  const gte = parse('gte', -Infinity);
  const lte = parse('lte', Infinity);
  return gte === null || lte === null ? null : { gte, lte };
}

/** `GET /v2/webhooks/{id}/events`: events matched to this webhook in the last 30 days. */
export function webhookEvents(state: SandboxState, id: string, path: string, q: URLSearchParams): Reply {
  if (!state.webhooks.has(id)) return notFound();
  const limit = limitParam(q.get('limit'), 100, 200);
  const offset = decodeCursor(q.get('cursor'));
  const r = range(q, 'occurred_at');
  if (limit === null || offset === null || r === null) return badRequest('Provided request parameters are invalid.');
  const since = state.clock.now() - RETENTION_MS;
  const name = q.get('event_name');
  const items = (state.delivery.perWebhook.get(id) ?? [])
    .filter((e) => {
      const at = Date.parse(e.occurred_at);
      return at >= since && at >= r.gte && at <= r.lte && (!name || e.event_name === name);
    })
    .map(({ id: eventId, ...envelope }) => ({ id: eventId, ...envelope }));
  return page(items, offset, limit, state.baseUrl, path, q);
}

/** `GET /v2/webhooks/{id}/activity`: delivery requests; `is_delivered` filters. */
export function webhookActivity(state: SandboxState, id: string, path: string, q: URLSearchParams): Reply {
  if (!state.webhooks.has(id)) return notFound();
  const limit = limitParam(q.get('limit'), 100, 200);
  const offset = decodeCursor(q.get('cursor'));
  const r = range(q, 'completed_at');
  const delivered = q.get('is_delivered');
  if (limit === null || offset === null || r === null || (delivered !== null && !['true', 'false'].includes(delivered))) {
    return badRequest('Provided request parameters are invalid.');
  }
  const name = q.get('event_name');
  const items = state.delivery.attempts.filter((a) => {
    const at = Date.parse(a.completed_at);
    return (
      a.webhook_id === id && at >= r.gte && at <= r.lte && (!name || a.event_name === name) && (delivered === null || a.is_delivered === (delivered === 'true'))
    );
  });
  return page(items, offset, limit, state.baseUrl, path, q);
}

/** `POST /v2/webhooks/{id}/ping`: a `ping` event, whatever the subscription. */
export function pingWebhook(state: SandboxState, id: string): Reply {
  const w = state.webhooks.get(id);
  if (!w) return notFound();
  const event = state.eventSource.make('ping', {}, state.clock.now());
  state.delivery.sendTo(w, event);
  return json(200, { event_name: 'ping', occurred_at: event.occurred_at });
}

/** `POST /v2/webhooks/{id}/test-event`: `event_name` must be subscribed; `payload` is required (field name UNVERIFIED). */
export function testEvent(state: SandboxState, id: string, raw: Buffer): Reply {
  const w = state.webhooks.get(id);
  if (!w) return notFound();
  const body = parseBody(raw);
  if (isReply(body)) return body;
  if (typeof body.event_name !== 'string') return badRequest('Field event_name is required.', { field: 'event_name' });
  if (!w.enabled_events.includes(body.event_name)) {
    return problem(400, { title: 'Event not enabled', detail: `The webhook is not subscribed to ${body.event_name}.` });
  }
  if (!body.payload || typeof body.payload !== 'object' || Array.isArray(body.payload)) {
    return problem(400, { title: 'Missing required payload data', detail: 'Field payload must be an object.' });
  }
  const event = state.eventSource.make(body.event_name, body.payload as Record<string, unknown>, state.clock.now());
  state.delivery.sendTo(w, event);
  return json(200, { event_name: event.event_name, occurred_at: event.occurred_at });
}

const REDELIVERY_PER_CALL = 100;
const REDELIVERY_PER_HOUR = 500;

/**
 * `POST /v2/webhooks/{id}/redelivery` with `occurred_at.gte` and/or `occurred_at.lte`: re-sends the
 * webhook's events of the last 30 days in that range, ≤ 100 per call (more → 400) and ≤ 500 per hour
 * (→ 429). The answer's shape is UNVERIFIED: 202 with `{count}`.
 */
export function redeliver(state: SandboxState, id: string, raw: Buffer): Reply {
  const w = state.webhooks.get(id);
  if (!w) return notFound();
  const body = parseBody(raw);
  if (isReply(body)) return body;
  const bound = (k: string) => (body[k] === undefined ? undefined : typeof body[k] === 'string' ? Date.parse(body[k] as string) : NaN);
  const gte = bound('occurred_at.gte');
  const lte = bound('occurred_at.lte');
  if (gte === undefined && lte === undefined) return badRequest('occurred_at.gte or occurred_at.lte is required.');
  if (Number.isNaN(gte) || Number.isNaN(lte)) return badRequest('occurred_at bounds must be date-times.');
  const now = state.clock.now();
  const events = (state.delivery.perWebhook.get(id) ?? []).filter((e) => {
    const at = Date.parse(e.occurred_at);
    return at >= now - RETENTION_MS && at >= (gte ?? -Infinity) && at <= (lte ?? Infinity) && e.event_name !== 'ping';
  });
  if (events.length > REDELIVERY_PER_CALL) return badRequest(`At most ${REDELIVERY_PER_CALL} events can be redelivered per request; narrow the range.`);
  if (!state.limits.redelivery.take(id, state.clock.monotonic(), events.length)) {
    return problem(429, { title: 'Too Many Requests', detail: `At most ${REDELIVERY_PER_HOUR} events can be redelivered per hour.` });
  }
  for (const e of events) state.delivery.sendTo(w, e);
  return json(202, { count: events.length });
}
