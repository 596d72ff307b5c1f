import { PersonioSandbox, startPersonioSandbox } from './index';
import { v2, v2Token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let t: string;
beforeAll(async () => {
  sb = await startPersonioSandbox({ employees: 10, now: NOW });
  t = await v2Token(sb);
});
afterAll(() => sb.close());
afterEach(() => sb.setWebhookSettings({ wrapSingleResponses: false, conflictOnDuplicateUrl: false, exposeToken: true }));

const BODY = {
  url: 'https://gateway.example.com/hooks/t1',
  description: 'hris-gateway t1',
  enabled_events: ['person.created', 'person.updated'],
  token: 'Bearer s3cret',
};
const create = (body: Record<string, unknown>) => v2(sb, 'POST', '/v2/webhooks', t, body);

describe('webhooks management API', () => {
  it('creates a webhook (201, UUID id, DISABLED and TOKEN by default), reads, lists, patches and deletes it', async () => {
    const c = await create(BODY);
    expect(c.status).toBe(201);
    expect(c.json).toMatchObject({ ...BODY, status: 'DISABLED', auth_type: 'TOKEN' });
    expect(c.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const id = c.json.id as string;
    expect((await v2(sb, 'GET', `/v2/webhooks/${id}`, t)).json).toEqual(c.json);
    const p = await v2(sb, 'PATCH', `/v2/webhooks/${id}`, t, { status: 'ENABLED', enabled_events: ['person.deleted'] });
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({ status: 'ENABLED', enabled_events: ['person.deleted'], token: 'Bearer s3cret', url: BODY.url });
    const list = await v2(sb, 'GET', '/v2/webhooks?status=ENABLED', t);
    expect(list.json._data.map((w: { id: string }) => w.id)).toContain(id);
    expect(list.json._meta.links.self.href).toContain('/v2/webhooks?status=ENABLED');
    expect((await v2(sb, 'GET', '/v2/webhooks?status=DISABLED', t)).json._data.map((w: { id: string }) => w.id)).not.toContain(id);
    expect((await v2(sb, 'GET', '/v2/webhooks?enabled_events=person.created', t)).json._data.map((w: { id: string }) => w.id)).not.toContain(id);
    const del = await v2(sb, 'DELETE', `/v2/webhooks/${id}`, t);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect((await v2(sb, 'GET', `/v2/webhooks/${id}`, t)).status).toBe(404);
    expect((await v2(sb, 'DELETE', `/v2/webhooks/${id}`, t)).status).toBe(404);
  });

  it('pages the list with limit and an opaque cursor in _meta.links.next', async () => {
    for (let i = 0; i < 3; i++) await create({ ...BODY, url: `https://example.com/page/${i}` });
    const first = await v2(sb, 'GET', '/v2/webhooks?limit=2', t);
    expect(first.json._data).toHaveLength(2);
    const next = new URL(first.json._meta.links.next.href);
    const second = await v2(sb, 'GET', `${next.pathname}${next.search}`, t);
    expect(second.json._data[0].id).not.toBe(first.json._data[0].id);
    expect((await v2(sb, 'GET', '/v2/webhooks?limit=201', t)).status).toBe(400);
    expect((await v2(sb, 'GET', '/v2/webhooks?cursor=garbage', t)).status).toBe(400);
  });

  it.each([
    ['a missing required field', { description: 'd', enabled_events: ['person.created'], token: 'x' }, 400],
    ['a body that is not JSON', 'not json', 400],
    ['an unknown status', { ...BODY, status: 'PAUSED' }, 400],
    ['an unknown auth_type', { ...BODY, auth_type: 'HMAC' }, 400],
    ['a plain-http URL to a non-loopback host', { ...BODY, url: 'http://gateway.example.com/h' }, 422],
    ['a URL that is not a URL', { ...BODY, url: 'gateway' }, 422],
    ['an unknown event', { ...BODY, enabled_events: ['person.exploded'] }, 422],
    ['no events', { ...BODY, enabled_events: [] }, 422],
    ['TOKEN without a token', { ...BODY, token: undefined }, 422],
    ['a token with auth_type NONE', { ...BODY, auth_type: 'NONE' }, 422],
    ['CUSTOM without headers', { ...BODY, token: undefined, auth_type: 'CUSTOM' }, 422],
    ['CUSTOM with four headers', { ...BODY, token: undefined, auth_type: 'CUSTOM', custom_headers: { 'X-A': '1', 'X-B': '2', 'X-C': '3', 'X-D': '4' } }, 422],
    ['CUSTOM with a reserved header name', { ...BODY, token: undefined, auth_type: 'CUSTOM', custom_headers: { 'Content-Type-Override': 'x' } }, 422],
    ['custom headers with auth_type TOKEN', { ...BODY, custom_headers: { 'X-A': '1' } }, 422],
  ])('rejects %s', async (_name, body, status) => {
    const r =
      typeof body === 'string'
        ? await fetch(`${sb.url}/v2/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body }).then(
            async (x) => ({ status: x.status, json: await x.json() }),
          )
        : await create(body);
    expect(r.status).toBe(status);
    expect(r.json).toMatchObject({
      personio_trace_id: expect.any(String),
      errors: [{ title: expect.any(String), detail: expect.any(String), type: expect.any(String) }],
    });
  });

  it('accepts NONE and CUSTOM (≤ 3 headers) and validates a PATCH against the merged webhook', async () => {
    const none = await create({ ...BODY, token: undefined, auth_type: 'NONE' });
    expect(none.status).toBe(201);
    expect(none.json).not.toHaveProperty('token');
    const custom = await create({ ...BODY, token: undefined, auth_type: 'CUSTOM', custom_headers: { 'X-Gateway-Tenant': 't1', 'X-Gateway-Secret': 's' } });
    expect(custom.status).toBe(201);
    expect(custom.json.custom_headers).toEqual({ 'X-Gateway-Tenant': 't1', 'X-Gateway-Secret': 's' });
    expect((await v2(sb, 'PATCH', `/v2/webhooks/${none.json.id}`, t, { auth_type: 'TOKEN' })).status).toBe(422);
    const ok = await v2(sb, 'PATCH', `/v2/webhooks/${none.json.id}`, t, { auth_type: 'TOKEN', token: 'new' });
    expect(ok.json).toMatchObject({ auth_type: 'TOKEN', token: 'new' });
    expect((await v2(sb, 'PATCH', `/v2/webhooks/${custom.json.id}`, t, { url: 'ftp://x' })).status).toBe(422);
    expect((await v2(sb, 'PATCH', '/v2/webhooks/00000000-0000-4000-8000-000000000000', t, { description: 'x' })).status).toBe(404);
  });

  it('switches: wrapped single responses, 409 on a duplicate URL, hidden token', async () => {
    sb.setWebhookSettings({ wrapSingleResponses: true, conflictOnDuplicateUrl: true, exposeToken: false });
    const c = await create({ ...BODY, url: 'https://example.com/dup' });
    expect(c.status).toBe(201);
    expect(c.json._data).toMatchObject({ url: 'https://example.com/dup' });
    expect(c.json._data).not.toHaveProperty('token');
    expect((await create({ ...BODY, url: 'https://example.com/dup' })).status).toBe(409);
  });
});
