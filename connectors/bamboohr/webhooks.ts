// BambooHR's webhooks (NOTES §4.13): one event-based webhook per integration, created
// by the integration's API key (a webhook belongs to the key that made it). BambooHR
// never echoes a token of ours: it signs each delivery with the `privateKey` it
// returns once, at creation, and the gateway keeps that key sealed. Deliveries carry
// ids only; the gateway re-reads the person with its own key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  DELIVERY_MAX_AGE_MS,
  type ConnectorContext,
  type ConnectorError,
  type ConnectorWebhooks,
  type DeliveryHeaders,
  type InboundEvent,
  type MissingItem,
} from '../connector';
import { text } from '../values';
import type { BambooClient, RawResponse } from './client';
import { BAMBOOHR_REQUIREMENTS } from './connect-info';
import { bamboohrFieldKind, CORE_FIELDS, MAPPED_FIELDS } from './fields';
import type { BambooCredentials } from './types';

export const BAMBOOHR_EVENTS = ['employee.created', 'employee.updated', 'employee.deleted'];

/**
 * Standard fields whose change can alter a unified record: those the mapping reads, plus the names
 * BambooHR reports for the history tables the employments come from (a jobInfo row changes
 * `supervisor`, an employmentStatus row `employmentHistoryStatus`, a compensation row the pay fields).
 * Custom fields are monitored too (they reach the LMS as custom fields).
 */
const MONITORED = new Set<string>([
  ...CORE_FIELDS,
  ...MAPPED_FIELDS,
  'supervisor',
  'supervisorId',
  'supervisorEId',
  'employmentStatus',
  'employmentHistoryStatus',
  'payRateEffectiveDate',
  'exempt',
]);

/** The connect page's optional `webhooks` requirement (check() probes the same call). */
export const WEBHOOKS_MISSING: MissingItem = {
  kind: 'permission',
  optional: true,
  key: 'webhooks',
  message: `This API key cannot manage webhooks. ${BAMBOOHR_REQUIREMENTS.find((r) => r.key === 'webhooks')!.why.en}`,
};

type Ctx = ConnectorContext<BambooCredentials>;

/** The header's one value (a repeated header is not BambooHR's and is refused). */
const header = (headers: DeliveryHeaders, name: string): string | null => {
  const v = headers[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : null;
};

/** `X-BambooHR-Timestamp`: Unix seconds, or an ISO time with `Z` or `+0000` (both seen, NOTES §4.13). */
export function parseBambooTimestamp(v: string): Date | null {
  if (/^\d{9,11}$/.test(v)) return new Date(Number(v) * 1000);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(v);
  if (!m) return null;
  const zone = m[4] === 'Z' ? 'Z' : `${m[4].slice(0, 3)}:${m[4].slice(-2)}`;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ''}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * HMAC-SHA256(privateKey, raw body bytes immediately followed by the timestamp header), lowercase
 * hex in `X-BambooHR-Signature`; compared in constant time. A timestamp more than five minutes
 * from `now` is refused: the signature covers it, so a captured delivery cannot be replayed later.
 */
export function verifyBambooDelivery(headers: DeliveryHeaders, rawBody: Buffer, secret: string, now: Date): boolean {
  const timestamp = header(headers, 'x-bamboohr-timestamp');
  const signature = header(headers, 'x-bamboohr-signature');
  if (!timestamp || !signature || !/^[0-9a-fA-F]{64}$/.test(signature) || !secret) return false;
  const at = parseBambooTimestamp(timestamp);
  if (!at || Math.abs(now.getTime() - at.getTime()) > DELIVERY_MAX_AGE_MS) return false;
  const expected = createHmac('sha256', secret).update(rawBody).update(timestamp, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * An event-based JSON delivery `{type, timestamp, data: {companyId, employeeId, changedFields?}}`.
 * `employee.deleted` is a removal. Other event types (company.*) name no person.
 */
export function parseBambooDelivery(body: unknown): InboundEvent[] | null {
  if (!isObject(body) || !isObject(body.data)) return null;
  const type = typeof body.type === 'string' && /^[a-z][a-z_-]*\.[a-z]+$/.test(body.type) && body.type.length <= 100 ? body.type : null;
  if (!type) return null;
  const data = body.data;
  const timestamp = typeof body.timestamp === 'string' && body.timestamp.length <= 40 ? body.timestamp : '';
  const employeeId = text(data.employeeId);
  const isEmployee = type.startsWith('employee.');
  if (isEmployee && (!employeeId || !/^\d{1,18}$/.test(employeeId))) return null;
  const changed = Array.isArray(data.changedFields) ? data.changedFields.filter((f): f is string => typeof f === 'string').slice(0, 50) : [];
  // BambooHR sends no event id: a retry repeats all of these; two edits in the same second differ in their fields.
  const dedupeKey = [text(data.companyId) ?? '', type, employeeId ?? '', timestamp, [...changed].sort().join(',')].join('|').slice(0, 1000);
  return [
    {
      dedupeKey,
      name: type,
      personIds: isEmployee && employeeId ? [employeeId] : [],
      removal: type === 'employee.deleted',
      occurredAt: timestamp ? parseBambooTimestamp(timestamp) : null,
    },
  ];
}

/** The fields to monitor: those BambooHR offers (`/webhooks/monitor_fields`) that can change a unified record. */
async function monitorFields(c: BambooClient): Promise<string[]> {
  const body = await c.get('/webhooks/monitor_fields', undefined, 'webhooks');
  const fields = isObject(body) && Array.isArray(body.fields) ? body.fields : [];
  const keys = fields
    .filter(isObject)
    .map((f) => text(f.alias) ?? text(f.id))
    .filter((k): k is string => k !== null);
  return [...new Set(keys.filter((k) => MONITORED.has(k) || bamboohrFieldKind(k) === 'CUSTOM'))];
}

/**
 * A 400 names its reasons in `issues` (`url must begin with https://`): they become the subscription's
 * status reason, which says more than "Invalid request body".
 */
function refusal(c: BambooClient, res: RawResponse): ConnectorError {
  const first = isObject(res.data) && Array.isArray(res.data.errors) && isObject(res.data.errors[0]) ? res.data.errors[0] : null;
  const issues = first && Array.isArray(first.issues) ? first.issues.filter((i): i is string => typeof i === 'string').slice(0, 5) : [];
  if (!issues.length) return c.statusError(res, 'webhooks');
  return c.fail('UPSTREAM_INVALID_INPUT', `BambooHR refused the webhook: ${issues.join('; ').slice(0, 300)}`, 'webhooks', res.status);
}

export function bamboohrWebhooks(clientFor: (ctx: Ctx) => BambooClient): ConnectorWebhooks<BambooCredentials> {
  async function unsubscribe(ctx: Ctx, id: string): Promise<void> {
    const c = clientFor(ctx);
    const res = await c.request({
      method: 'DELETE',
      path: `/webhooks/${encodeURIComponent(id)}`,
      idempotent: true,
      endpoint: 'webhooks',
      throwOnStatus: false,
      text: true,
    });
    if (res.status >= 400 && res.status !== 404) throw c.statusError(res, 'webhooks');
  }

  return {
    async available(ctx) {
      const c = clientFor(ctx);
      const res = await c.request({ method: 'GET', path: '/webhooks', idempotent: true, endpoint: 'webhooks', throwOnStatus: false });
      if (res.status === 403) return { ok: false, missing: WEBHOOKS_MISSING };
      if (res.status >= 400) throw c.statusError(res, 'webhooks');
      return { ok: true };
    },
    async subscribe(ctx, url) {
      const c = clientFor(ctx);
      const fields = await monitorFields(c);
      // `employee.updated` needs at least one monitored field; with none offered, creations and deletions still come.
      const events = fields.length ? BAMBOOHR_EVENTS : BAMBOOHR_EVENTS.filter((e) => e !== 'employee.updated');
      const res = await c.request({
        method: 'POST',
        path: '/webhooks',
        idempotent: false,
        endpoint: 'webhooks',
        headers: { 'Content-Type': 'application/json' },
        throwOnStatus: false,
        data: {
          name: 'HRIS gateway: re-read people on change',
          url,
          format: 'json',
          events,
          ...(fields.length ? { monitorFields: fields } : {}),
          includeCompanyDomain: false,
        },
      });
      if (res.status === 400) throw refusal(c, res);
      if (res.status >= 400) throw c.statusError(res, 'webhooks');
      const body = isObject(res.data) ? res.data : {};
      const id = text(body.id);
      const secret = typeof body.privateKey === 'string' && body.privateKey.length > 0 ? body.privateKey : null;
      if (!id) throw c.fail('UPSTREAM_INVALID_INPUT', 'BambooHR created the webhook but did not return its id', 'webhooks', res.status);
      if (!secret) {
        // Without the key no delivery can be verified, and BambooHR never shows it again: this webhook is useless.
        await unsubscribe(ctx, id).catch(() => undefined);
        throw c.fail('UPSTREAM_INVALID_INPUT', 'BambooHR created the webhook but did not return its private key', 'webhooks', res.status);
      }
      return { id, secret };
    },
    async list(ctx) {
      const c = clientFor(ctx);
      const body = await c.get('/webhooks', undefined, 'webhooks');
      const hooks = isObject(body) && Array.isArray(body.webhooks) ? body.webhooks.filter(isObject) : [];
      return hooks.flatMap((w) => {
        const id = text(w.id);
        return id !== null && typeof w.url === 'string' ? [{ id, url: w.url }] : [];
      });
    },
    unsubscribe,
    async check(ctx, id) {
      const c = clientFor(ctx);
      const res = await c.request({ method: 'GET', path: `/webhooks/${encodeURIComponent(id)}`, idempotent: true, endpoint: 'webhooks', throwOnStatus: false });
      // 403: the webhook belongs to another key (the integration was relinked); for this key it does not exist.
      if (res.status === 404 || res.status === 403) return 'MISSING';
      if (res.status >= 400) throw c.statusError(res, 'webhooks');
      // BambooHR has no paused state to read; a webhook that exists delivers.
      return 'ACTIVE';
    },
    verifyDelivery: verifyBambooDelivery,
    parseDelivery: parseBambooDelivery,
  };
}
