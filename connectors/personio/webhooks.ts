// Personio's v2 Webhooks Management API: a subscription per integration, created
// with the gateway's inbound URL and a per-integration token (sent back verbatim in
// `Authorization`), checked for health, deleted on disable or delete. v2 has its own
// token endpoint (`POST /v2/auth/token`, client credentials); the scope it returns
// says whether these credentials may manage webhooks.
import { ConnectorError, type ConnectorContext, type ConnectorWebhooks, type MissingItem } from '../connector';
import type { PersonioClient } from './client';
import type { RawResponse } from './client-options';
import { parsePersonioDelivery, personioDeliveryToken } from './deliveries';
import { credentialKey, getToken, invalidateToken, singleFlightAuth, type CachedToken } from './token-cache';
import type { PersonioCredentials } from './types';

/** The events that can change a person's unified record. */
export const PERSONIO_EVENTS = [
  'person.created',
  'person.updated',
  'person.deleted',
  'employment.created',
  'employment.updated',
  'employment.deleted',
  'employment.started',
  'employment.terminated',
];

const SCOPE = 'personio:webhooks:write';

export const WEBHOOKS_MISSING: MissingItem = {
  kind: 'permission',
  optional: true,
  key: SCOPE,
  message:
    'These API credentials may not manage webhooks, so changes reach the learning platform only at the next scheduled sync ' +
    '(every few minutes) instead of within seconds. In Personio, give the credentials the "Webhooks" read and write permission.',
};

type Ctx = ConnectorContext<PersonioCredentials>;

class PersonioV2 {
  constructor(
    private readonly ctx: Ctx,
    private readonly client: PersonioClient,
  ) {}

  private get key(): string {
    const c = this.ctx.credentials;
    return `v2|${credentialKey(this.client.origin, c.clientId, c.clientSecret)}`;
  }

  /** Cached with the v1 tokens (own key): concurrent callers share one auth request. */
  token(): Promise<CachedToken> {
    const key = this.key;
    const cached = getToken(key, Date.now());
    return cached ? Promise.resolve(cached) : singleFlightAuth(key, () => this.fetchToken());
  }

  private async fetchToken(): Promise<CachedToken> {
    const { clientId, clientSecret } = this.ctx.credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    // A refusal (400, 401, 403, 422) is thrown by the client as AUTH_FAILED, any other status ≥ 400 as UPSTREAM_UNAVAILABLE.
    const res = await this.client.requestV2(
      {
        method: 'POST',
        path: '/v2/auth/token',
        data: form.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        bucket: 'auth',
        idempotent: true,
      },
      null,
    );
    const body = res.data as { access_token?: unknown; scope?: unknown; expires_in?: unknown } | null;
    if (typeof body?.access_token !== 'string' || body.access_token === '')
      throw this.client.fail('UPSTREAM_UNAVAILABLE', `Personio's v2 token endpoint answered ${res.status} without a token`, 'auth', res.status);
    const ttl = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3600_000;
    return { token: body.access_token, scope: typeof body.scope === 'string' ? body.scope : '', usableUntil: Date.now() + Math.max(0, ttl - 60_000) };
  }

  /** Through the client's rate limits and retries (`requestV2`); a create is not resent after an ambiguous failure. */
  async call(method: string, path: string, data?: unknown): Promise<RawResponse> {
    const t = await this.token();
    const res = await this.client.requestV2(
      { method, path, data, headers: data ? { 'Content-Type': 'application/json' } : {}, bucket: 'other', idempotent: method !== 'POST' },
      t.token,
    );
    if (res.status === 401) invalidateToken(this.key, t.token);
    return res;
  }

  error(res: RawResponse, what: string): ConnectorError {
    const s = res.status;
    const kind =
      s === 401
        ? 'AUTH_FAILED'
        : s === 403
          ? 'PERMISSION_MISSING'
          : s === 404
            ? 'NOT_FOUND'
            : s === 429
              ? 'RATE_LIMITED'
              : s >= 500
                ? 'UPSTREAM_UNAVAILABLE'
                : 'UPSTREAM_INVALID_INPUT';
    return this.client.fail(kind, `Personio answered ${s} to ${what}`, 'webhooks', s);
  }
}

const dataOf = (body: unknown): Record<string, unknown> | null => {
  const b = body as Record<string, unknown> | null;
  const inner = b && typeof b === 'object' && b._data && typeof b._data === 'object' ? b._data : b;
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : null;
};

/** Pages of the webhook list read at most (200 each): far more webhooks than a company keeps. */
const LIST_MAX_PAGES = 20;

/** The `cursor` of a next-page link, or null. */
function cursorOf(href: string): string | null {
  try {
    return new URL(href, 'https://personio.invalid').searchParams.get('cursor');
  } catch {
    return null;
  }
}

export function personioWebhooks(clientFor: (ctx: Ctx) => PersonioClient): ConnectorWebhooks<PersonioCredentials> {
  const v2 = (ctx: Ctx) => new PersonioV2(ctx, clientFor(ctx));
  return {
    async available(ctx) {
      const t = await v2(ctx).token();
      return (t.scope ?? '').split(/[\s,]+/).includes(SCOPE) ? { ok: true } : { ok: false, missing: WEBHOOKS_MISSING };
    },
    async subscribe(ctx, url, token) {
      const api = v2(ctx);
      const res = await api.call('POST', '/v2/webhooks', {
        url,
        description: 'HRIS gateway: re-read people on change',
        status: 'ENABLED',
        auth_type: 'TOKEN',
        token,
        enabled_events: PERSONIO_EVENTS,
      });
      const id = dataOf(res.data)?.id;
      if (res.status >= 400 || typeof id !== 'string') throw api.error(res, 'creating the webhook');
      return { id };
    },
    async list(ctx) {
      const api = v2(ctx);
      const found: Array<{ id: string; url: string }> = [];
      let cursor: string | null = null;
      // The v2 list envelope: `_data`, and `_meta.links.next.href` carrying the next page's cursor.
      for (let pages = 0; pages < LIST_MAX_PAGES; pages++) {
        const res = await api.call('GET', `/v2/webhooks?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (res.status >= 400) throw api.error(res, 'listing the webhooks');
        const body = res.data as { _data?: unknown; _meta?: { links?: { next?: { href?: unknown } } } } | null;
        for (const w of Array.isArray(body?._data) ? body._data : []) {
          const hook = w as { id?: unknown; url?: unknown } | null;
          if (typeof hook?.id === 'string' && typeof hook.url === 'string') found.push({ id: hook.id, url: hook.url });
        }
        const next = body?._meta?.links?.next?.href;
        cursor = typeof next === 'string' ? cursorOf(next) : null;
        if (!cursor) break;
      }
      return found;
    },
    async unsubscribe(ctx, id) {
      const api = v2(ctx);
      const res = await api.call('DELETE', `/v2/webhooks/${encodeURIComponent(id)}`);
      if (res.status >= 400 && res.status !== 404) throw api.error(res, 'deleting the webhook');
    },
    async check(ctx, id) {
      const api = v2(ctx);
      const res = await api.call('GET', `/v2/webhooks/${encodeURIComponent(id)}`);
      if (res.status === 404) return 'MISSING';
      if (res.status >= 400) throw api.error(res, 'reading the webhook');
      return dataOf(res.data)?.status === 'ENABLED' ? 'ACTIVE' : 'DISABLED';
    },
    deliveryToken: personioDeliveryToken,
    parseDelivery: parsePersonioDelivery,
  };
}
