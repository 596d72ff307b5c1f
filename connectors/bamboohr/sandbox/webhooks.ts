import { createHmac, randomBytes } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { readBody } from '../../sandbox-kit/http';
import { FIELD_CATALOGUE } from './company';
import { Reply, json, readJson } from './http';
import { SandboxState } from './state';
import { ApiKey, DeliveryAttempt, WebhookSettings } from './types';
import { resolveFieldName } from './views';

/**
 * BambooHR webhooks (NOTES §4.13): management API owned by the creating key, event-based
 * (`employee.*`) and legacy field-based (`employee_with_fields.*`) payloads, HMAC-SHA256 over
 * raw body + timestamp, privateKey shown once.
 */
export const EVENT_TYPES = ['employee.created', 'employee.updated', 'employee.deleted'];
export const LEGACY_TYPES = ['employee_with_fields.created', 'employee_with_fields.updated', 'employee_with_fields.deleted'];
const OTHER_TYPES = ['company.updated', 'company.deleted', 'company-integrations.updated'];

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  companyId: '12345',
  timestampFormat: 'unix',
  dispatchLatencyMs: 0,
  deliveryTimeoutMs: 10_000,
  retryDelaysMs: [],
  allowedHosts: ['127.0.0.1', 'localhost', '::1', '[::1]'],
  allowHttpToAllowedHosts: true,
};

export interface StoredWebhook {
  id: number;
  owner: string;
  name: string;
  url: string;
  format: 'json' | 'form-encoded';
  events: string[];
  monitorFields: string[] | null;
  postFields: Record<string, string>;
  includeCompanyDomain: boolean;
  privateKey: string;
  created: number;
  lastSent: number | null;
}

/** One change as the account sees it: webhooks fire on these (when effective, for dated rows). */
export interface ChangeEvent {
  kind: 'created' | 'updated' | 'deleted';
  employeeId: number;
  changedFields: string[];
  at: number;
}

const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const webhookError = (status: number, error: string) => json(status, { errors: { error } });

function render(w: StoredWebhook, withKey: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: String(w.id),
    name: w.name,
    created: sqlTime(w.created),
    lastSent: w.lastSent === null ? null : sqlTime(w.lastSent),
    monitorFields: w.monitorFields,
    postFields: { ...w.postFields },
    url: w.url,
    format: w.format,
    includeCompanyDomain: w.includeCompanyDomain,
    events: [...w.events],
  };
  if (withKey) out.privateKey = w.privateKey;
  return out;
}

type Parsed = Omit<StoredWebhook, 'id' | 'owner' | 'privateKey' | 'created' | 'lastSent'>;

function validate(state: SandboxState, body: unknown): Parsed | Reply {
  const bad = (message: string) => json(400, { errors: [{ error: 'Invalid request body', issues: [message] }] });
  if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('Invalid request body');
  const b = body as Record<string, unknown>;
  if (typeof b.name !== 'string' || !b.name.trim()) return bad('name is required');
  if (typeof b.url !== 'string') return bad('url is required');
  let url: URL;
  try {
    url = new URL(b.url);
  } catch {
    return bad('url is not a valid URL');
  }
  const s = state.webhookSettings;
  const httpOk = s.allowHttpToAllowedHosts && url.protocol === 'http:' && s.allowedHosts.includes(url.hostname);
  if (url.protocol !== 'https:' && !httpOk) return bad('url must begin with https://');
  if (b.format !== 'json' && b.format !== 'form-encoded') return bad('format must be json or form-encoded');
  const events = b.events === undefined ? [...LEGACY_TYPES] : b.events;
  if (!Array.isArray(events) || events.some((e) => typeof e !== 'string' || ![...EVENT_TYPES, ...LEGACY_TYPES, ...OTHER_TYPES].includes(e)))
    return bad('events contains an unknown event type');
  const ev = events as string[];
  if (ev.some((e) => LEGACY_TYPES.includes(e)) && ev.some((e) => !LEGACY_TYPES.includes(e)))
    return bad('Cannot mix employee_with_fields events with other events');
  let monitorFields: string[] | null = null;
  if (b.monitorFields !== undefined && b.monitorFields !== null) {
    if (!Array.isArray(b.monitorFields) || b.monitorFields.some((f) => typeof f !== 'string')) return bad('monitorFields must be an array of field names');
    monitorFields = b.monitorFields as string[];
  }
  if (ev.some((e) => e.endsWith('.updated')) && (!monitorFields || monitorFields.length === 0)) return bad('monitorFields is required for updated events');
  const known = new Set(FIELD_CATALOGUE.flatMap((f) => [String(f.id), f.alias ?? '']));
  const postFields = (b.postFields ?? {}) as Record<string, unknown>;
  if (typeof postFields !== 'object' || Array.isArray(postFields)) return bad('postFields must be an object');
  const unknown = [...(monitorFields ?? []), ...Object.keys(postFields)].filter((f) => !known.has(f));
  if (unknown.length) return json(400, { errors: [{ error: 'Unknown fields', unknownFields: unknown.map((name) => ({ id: null, name })) }] });
  return {
    name: b.name,
    url: b.url,
    format: b.format,
    events: ev,
    monitorFields,
    postFields: Object.fromEntries(Object.entries(postFields).map(([k, v]) => [k, String(v)])),
    includeCompanyDomain: b.includeCompanyDomain === true,
  };
}

/** `/api/v1/webhooks…` management routes. */
export async function handleWebhooks(state: SandboxState, req: IncomingMessage, key: ApiKey, rest: string): Promise<Reply | null> {
  const method = req.method ?? 'GET';
  if (rest === '/webhooks/monitor_fields' && method === 'GET') {
    return json(200, {
      fields: FIELD_CATALOGUE.filter((f) => typeof f.id === 'number').map((f) => ({ id: String(f.id), name: f.name, alias: f.alias ?? null })),
    });
  }
  if (rest === '/webhooks') {
    if (method === 'GET') {
      const mine = [...state.webhooks.values()].filter((w) => w.owner === key.key);
      return json(200, {
        webhooks: mine.map((w) => ({
          id: String(w.id),
          name: w.name,
          created: sqlTime(w.created),
          lastSent: w.lastSent === null ? null : sqlTime(w.lastSent),
          url: w.url,
        })),
      });
    }
    if (method === 'POST') {
      const parsed = readJson(await readBody(req));
      const v = validate(state, parsed.ok ? parsed.value : null);
      if ('status' in v) return v;
      const w: StoredWebhook = {
        ...v,
        id: state.nextWebhookId++,
        owner: key.key,
        privateKey: randomBytes(24).toString('hex'),
        created: state.now(),
        lastSent: null,
      };
      state.webhooks.set(w.id, w);
      return json(201, render(w, true));
    }
    return null;
  }
  const m = /^\/webhooks\/(\d+)(\/log)?$/.exec(rest);
  if (!m) return null;
  const w = state.webhooks.get(Number(m[1]));
  if (!w) return webhookError(404, `Webhook ID ${m[1]} not found`);
  if (w.owner !== key.key) return webhookError(403, `You do not have access to webhook ID: ${m[1]}`);
  if (m[2]) {
    if (method !== 'GET') return null;
    const since = state.now() - 14 * 86_400_000;
    const byEvent = new Map<string, DeliveryAttempt[]>();
    for (const a of state.deliveries) if (a.webhookId === String(w.id) && a.at >= since) byEvent.set(a.deliveryId, [...(byEvent.get(a.deliveryId) ?? []), a]);
    const entries = [...byEvent.values()].slice(-200).map((attempts) => {
      const last = attempts[attempts.length - 1];
      const ok = [...attempts].reverse().find((a) => a.status !== null && a.status >= 200 && a.status < 300);
      return {
        webhookId: String(w.id),
        url: last.url,
        lastAttempted: sqlTime(last.at),
        lastSuccess: ok ? sqlTime(ok.at) : 'Webhook Not Found',
        statusCode: last.status === null ? '0' : String(last.status),
        format: w.format,
        employeeIds: last.employeeIds,
      };
    });
    return json(200, entries);
  }
  if (method === 'GET') return json(200, render(w, false));
  if (method === 'PUT') {
    const parsed = readJson(await readBody(req));
    const v = validate(state, parsed.ok ? parsed.value : null);
    if ('status' in v) return v;
    Object.assign(w, v); // full replacement; the private key stays (NOTES §4.13)
    return json(200, render(w, false));
  }
  if (method === 'DELETE') {
    state.webhooks.delete(w.id);
    return { status: 200, body: 'Web hook has been deleted.', contentType: 'text/plain' };
  }
  return null;
}

/**
 * Decides which webhooks an account change triggers: `.created`/`.deleted` ignore monitor fields,
 * `.updated` needs a monitored field, and a creation is followed by an `.updated` (spec L16321).
 */
export function publishChange(state: SandboxState, c: ChangeEvent): void {
  for (const w of state.webhooks.values()) {
    const prefix = w.events.some((e) => LEGACY_TYPES.includes(e)) ? 'employee_with_fields' : 'employee';
    const wanted = new Set((w.monitorFields ?? []).map(resolveFieldName));
    const monitored = c.changedFields.filter((f) => wanted.has(f));
    if (c.kind !== 'updated' && w.events.includes(`${prefix}.${c.kind}`)) state.deliveryQueue.enqueue(w, `${prefix}.${c.kind}`, c, []);
    if (c.kind !== 'deleted' && monitored.length && w.events.includes(`${prefix}.updated`)) state.deliveryQueue.enqueue(w, `${prefix}.updated`, c, monitored);
  }
}

/** Wire format of one event (NOTES §4.13: event-based JSON/form, legacy field-based JSON). */
export function payload(state: SandboxState, w: StoredWebhook, type: string, c: ChangeEvent, changedFields: string[]): { body: string; contentType: string } {
  const iso = new Date(c.at).toISOString().slice(0, 19) + '+0000';
  if (type.startsWith('employee_with_fields.')) {
    const e = state.employees.get(c.employeeId);
    const all = e ? state.employeeView(e) : {};
    const names = (f: string) => w.postFields[f] ?? FIELD_CATALOGUE.find((m) => m.alias === f)?.name ?? f;
    const fields = Object.fromEntries(Object.entries(w.postFields).map(([f, ext]) => [ext, { value: all[resolveFieldName(f)] ?? null }]));
    const body = {
      employees: [
        {
          id: String(c.employeeId),
          action: type.split('.')[1].replace(/^./, (x) => x.toUpperCase()),
          timestamp: iso,
          changedFields: changedFields.map(names),
          fields,
        },
      ],
    };
    return { body: JSON.stringify(body), contentType: 'application/json' };
  }
  const data: Record<string, unknown> = { companyId: state.webhookSettings.companyId, employeeId: String(c.employeeId) };
  if (type === 'employee.updated') data.changedFields = changedFields;
  if (w.format === 'form-encoded') {
    const form = new URLSearchParams({ type, timestamp: iso, 'data[companyId]': String(data.companyId), 'data[employeeId]': String(data.employeeId) });
    changedFields.forEach((f, i) => type === 'employee.updated' && form.append(`data[changedFields][${i}]`, f));
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: JSON.stringify({ type, timestamp: iso, data }), contentType: 'application/json' };
}

/** `X-BambooHR-Signature`: lowercase hex HMAC-SHA256(privateKey, raw body + timestamp header). */
export function sign(privateKey: string, body: string, timestamp: string): string {
  return createHmac('sha256', privateKey)
    .update(body + timestamp)
    .digest('hex');
}
