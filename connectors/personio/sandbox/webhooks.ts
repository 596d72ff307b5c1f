import { randomUUID } from 'node:crypto';
import { Reply } from './http-util';
import { WebhookSettings } from './types';
import { badRequest, problem, unprocessable } from './v2-http';

/** Subscribable events (V2-WEBHOOKS §1.4); the sandbox generates the person and employment ones. */
export const WEBHOOK_EVENTS = [
  'person.created',
  'person.updated',
  'person.deleted',
  'employment.created',
  'employment.updated',
  'employment.updated.cost-centers',
  'employment.deleted',
  'employment.started',
  'employment.terminated',
  'absence-period.created',
  'absence-period.updated.timerange',
  'absence-period.updated.status',
  'absence-period.deleted',
  'attendance-period.created',
  'attendance-period.updated',
  'attendance-period.deleted',
  'document.created',
  'document.updated',
  'document.signed',
  'document.deleted',
] as const;

export const WEBHOOK_STATUSES = ['ENABLED', 'DISABLED'];
export const AUTH_TYPES = ['NONE', 'TOKEN', 'CUSTOM'];
const RESERVED_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'trailer', 'expect', 'content-type'];
const MAX_CUSTOM_HEADERS = 3;

/** One event as Personio sends it (the envelope), plus the sandbox's own id for the event log. */
export interface WebhookEvent {
  id: string;
  company_id: string;
  event_name: string;
  occurred_at: string;
  payload: Record<string, unknown>;
  meta: Record<string, unknown>;
}

/** One HTTP request (or refusal) of the delivery engine. */
export interface DeliveryAttempt {
  webhook_id: string;
  event_id: string;
  event_name: string;
  url: string;
  attempt: number; // 1 = first attempt, 2.. = retries
  request: number; // 1 or 2 within the attempt (fast-attempt), 0 for a refusal
  duplicate: boolean; // a deliberate duplicate (fault webhookDuplicateRate)
  started_at: string; // real time
  completed_at: string; // real time
  status_code: number | null;
  is_delivered: boolean;
  error: string | null; // 'timeout', 'redirect', 'address not allowed', a network error, …
}

export interface StoredWebhook {
  id: string;
  url: string;
  description: string;
  status: string;
  auth_type: string;
  token: string | null;
  custom_headers: Record<string, string> | null;
  enabled_events: string[];
  created_at: string;
  updated_at: string;
}

type Body = Record<string, unknown>;

/** The sandbox's answer to POST/PATCH validation: the new webhook, or an error reply. */
export function validateWebhook(body: Body, existing: StoredWebhook | null, now: string): StoredWebhook | Reply {
  const creating = existing === null;
  if (creating) {
    const missing = ['url', 'description', 'enabled_events'].filter((k) => body[k] === undefined || body[k] === null);
    if (missing.length > 0) return badRequest(`Missing required fields: ${missing.join(', ')}.`, { missing_fields: missing.join(',') });
  }
  const str = (k: string) => body[k] === undefined || typeof body[k] === 'string';
  for (const k of ['url', 'description', 'status', 'auth_type', 'token']) {
    if (!str(k) && !(k === 'token' && body[k] === null)) return badRequest(`Field ${k} must be a string.`, { field: k });
  }
  if (body.enabled_events !== undefined && (!Array.isArray(body.enabled_events) || body.enabled_events.some((e) => typeof e !== 'string'))) {
    return badRequest('Field enabled_events must be an array of strings.', { field: 'enabled_events' });
  }
  if (
    body.custom_headers !== undefined &&
    body.custom_headers !== null &&
    (typeof body.custom_headers !== 'object' || Array.isArray(body.custom_headers) || Object.values(body.custom_headers).some((v) => typeof v !== 'string'))
  ) {
    return badRequest('Field custom_headers must be an object of string values.', { field: 'custom_headers' });
  }
  if (body.status !== undefined && !WEBHOOK_STATUSES.includes(body.status as string)) {
    return badRequest(`Field status must be one of ${WEBHOOK_STATUSES.join(', ')}.`, { field: 'status' });
  }
  if (body.auth_type !== undefined && !AUTH_TYPES.includes(body.auth_type as string)) {
    return badRequest(`Field auth_type must be one of ${AUTH_TYPES.join(', ')}.`, { field: 'auth_type' });
  }
  const next: StoredWebhook = existing
    ? { ...existing, custom_headers: existing.custom_headers ? { ...existing.custom_headers } : null, enabled_events: [...existing.enabled_events] }
    : {
        id: randomUUID(),
        url: '',
        description: '',
        status: 'DISABLED',
        auth_type: 'TOKEN',
        token: null,
        custom_headers: null,
        enabled_events: [],
        created_at: now,
        updated_at: now,
      };
  if (body.url !== undefined) next.url = body.url as string;
  if (body.description !== undefined) next.description = body.description as string;
  if (body.status !== undefined) next.status = body.status as string;
  if (body.enabled_events !== undefined) next.enabled_events = [...new Set(body.enabled_events as string[])];
  if (body.auth_type !== undefined && body.auth_type !== next.auth_type) {
    // Switching the auth type drops the other type's secret unless the same request supplies it.
    next.auth_type = body.auth_type as string;
    if (next.auth_type !== 'TOKEN') next.token = null;
    if (next.auth_type !== 'CUSTOM') next.custom_headers = null;
  }
  if (body.token !== undefined) next.token = body.token as string | null;
  if (body.custom_headers !== undefined) next.custom_headers = body.custom_headers as Record<string, string> | null;
  next.updated_at = now;
  return checkRules(next) ?? next;
}

function checkRules(w: StoredWebhook): Reply | null {
  let url: URL;
  try {
    url = new URL(w.url);
  } catch {
    return unprocessable('Invalid URL', `The url ${JSON.stringify(w.url)} is not a valid URL.`, { field: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return unprocessable('Invalid URL', 'The url must use https.', { field: 'url' });
  if (!url.hostname || /\s/.test(url.hostname)) return unprocessable('Invalid Hostname', 'The url has no valid hostname.', { field: 'url' });
  if (w.description.trim() === '') return unprocessable('Invalid description', 'The description must not be empty.', { field: 'description' });
  if (w.enabled_events.length === 0) return unprocessable('Invalid events', 'enabled_events must name at least one event.', { field: 'enabled_events' });
  const unknown = w.enabled_events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  if (unknown.length > 0)
    return unprocessable('Invalid events', `Unknown events: ${unknown.join(', ')}.`, { field: 'enabled_events', unknown_events: unknown.join(',') });
  if (w.auth_type === 'TOKEN' && !w.token) return unprocessable('Invalid token', 'auth_type TOKEN needs a token.', { field: 'token' });
  if (w.auth_type !== 'TOKEN' && w.token) return unprocessable('Invalid token', 'A token is only allowed with auth_type TOKEN.', { field: 'token' });
  if (w.auth_type !== 'CUSTOM' && w.custom_headers) {
    return unprocessable('Invalid custom headers', 'custom_headers are only allowed with auth_type CUSTOM.', { field: 'custom_headers' });
  }
  if (w.auth_type === 'CUSTOM') {
    const names = Object.keys(w.custom_headers ?? {});
    if (names.length === 0) return unprocessable('Invalid custom headers', 'auth_type CUSTOM needs custom_headers.', { field: 'custom_headers' });
    if (names.length > MAX_CUSTOM_HEADERS)
      return unprocessable('Invalid custom headers', `At most ${MAX_CUSTOM_HEADERS} custom headers are allowed.`, { field: 'custom_headers' });
    const reserved = names.filter((n) => RESERVED_HEADERS.some((r) => n.toLowerCase().startsWith(r)));
    if (reserved.length > 0)
      return unprocessable('Invalid custom headers', `Reserved header names: ${reserved.join(', ')}.`, {
        field: 'custom_headers',
        reserved: reserved.join(','),
      });
    if (names.some((n) => !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n)))
      return unprocessable('Invalid custom headers', 'Header names must be HTTP tokens.', { field: 'custom_headers' });
  }
  return null;
}

/** HTTPS only, except plain http to a host deliveries are allowed to reach (loopback tests). */
export function checkScheme(w: StoredWebhook, settings: WebhookSettings): Reply | null {
  const url = new URL(w.url);
  if (url.protocol === 'https:') return null;
  if (settings.allowHttpToAllowedHosts && isAllowedHost(url.hostname, settings)) return null;
  return unprocessable('Invalid URL', 'The url must use https.', { field: 'url' });
}

export function isAllowedHost(hostname: string, settings: WebhookSettings): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return settings.allowedHosts.some((a) => a.toLowerCase() === h);
}

export const conflict = (url: string) => problem(409, { title: 'Conflict', detail: `A webhook for ${url} already exists.` });

/** The `Webhook` object as the API renders it. */
export function renderWebhook(w: StoredWebhook, settings: WebhookSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: w.id,
    url: w.url,
    description: w.description,
    status: w.status,
    auth_type: w.auth_type,
    enabled_events: [...w.enabled_events],
  };
  if (w.auth_type === 'TOKEN' && settings.exposeToken) out.token = w.token;
  if (w.auth_type === 'CUSTOM')
    out.custom_headers = settings.exposeToken ? { ...w.custom_headers } : Object.fromEntries(Object.keys(w.custom_headers ?? {}).map((k) => [k, '***']));
  out.created_at = w.created_at;
  out.updated_at = w.updated_at;
  return out;
}
