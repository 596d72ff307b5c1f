import { PersonioSandbox, startPersonioSandbox } from './index';
import { call, get, startReceiver, token, v2, v2Token } from './testing';

let sb: PersonioSandbox;
beforeAll(async () => {
  sb = await startPersonioSandbox({ employees: 20, now: new Date('2026-03-02T09:30:00Z'), rateLimits: false });
});
afterAll(() => sb.close());

const control = (method: string, path: string, body?: unknown) =>
  call(sb, `/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

describe('control API over HTTP (/_sandbox)', () => {
  it('mirrors credentials, faults and the clock', async () => {
    expect((await control('GET', '/credentials/default')).json).toEqual(sb.defaultCredential);
    const c = (await control('POST', '/credentials', { attributes: ['first_name'] })).json;
    expect(c.clientId).toMatch(/^papi-/);
    await control('PUT', `/credentials/${encodeURIComponent(c.clientId)}/whitelist`, { attributes: ['last_name'], scopes: ['employees:read'] });
    const t = await token(sb, c);
    expect(Object.keys((await get(sb, '/v1/company/employees?limit=1', t)).json.data[0].attributes)).toEqual(['id', 'last_name']);

    expect((await control('PUT', '/faults', { rateLimitBurst: 1 })).json.rateLimitBurst).toBe(1);
    expect((await get(sb, '/v1/company/employees?limit=1', t)).status).toBe(429);
    expect((await control('DELETE', '/faults')).json).toEqual(sb.faults());
    expect((await control('PUT', '/faults', { bogus: 1 })).status).toBe(400);

    expect((await control('PUT', '/clock', { now: '2027-01-01T00:00:00Z' })).json.now).toMatch(/^2027-01-01T00:00:0/);
    const advanced = (await control('POST', '/clock/advance', { ms: 86_400_000 })).json.now;
    expect(advanced).toMatch(/^2027-01-02/);
  });

  it('mirrors hire, change, terminate, remove, categories, documents and the request log', async () => {
    const { id } = (await control('POST', '/employees', { overrides: { first_name: 'Jürgen' } })).json;
    expect((await control('GET', '/employees')).json.ids).toContain(id);
    await control('PATCH', `/employees/${id}`, { changes: { last_name: 'Größmann' } });
    await control('POST', `/employees/${id}/terminate`, { terminationDate: '2027-06-30' });
    const raw = (await control('GET', `/employees/${id}`)).json;
    expect([raw.attributes.first_name.value, raw.attributes.last_name.value, raw.attributes.termination_date.value]).toEqual([
      'Jürgen',
      'Größmann',
      '2027-06-30T00:00:00+01:00',
    ]);
    expect((await control('PATCH', `/employees/${id}`, { changes: { nope: 1 } })).status).toBe(400);
    await control('DELETE', `/employees/${id}`);
    expect((await control('GET', '/employees')).json.ids).not.toContain(id);

    const cat = (await control('POST', '/document-categories', { name: 'Zertifikate' })).json;
    sb.clearRequestLog();
    const t = await token(sb);
    const form = new FormData();
    form.set('title', 'Kurs');
    form.set('employee_id', String(sb.employeeIds()[0]));
    form.set('category_id', String(cat.id));
    form.set('file', new Blob(['hello']), 'kurs.txt');
    await fetch(`${sb.url}/v1/company/documents`, { method: 'POST', headers: { authorization: `Bearer ${t}` }, body: form });
    const docs = (await control('GET', '/documents')).json;
    expect(docs).toEqual([expect.objectContaining({ title: 'Kurs', categoryId: cat.id, fileName: 'kurs.txt', size: 5 })]);
    expect(docs[0].bytes).toBeUndefined();
    expect((await control('GET', `/documents/${docs[0].id}/file`)).text).toBe('hello');
    const log = (await control('GET', '/requests')).json;
    expect(log.map((e: any) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST /v1/auth 200', 'POST /v1/company/documents 201']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(log[1].clientId).toBe(sb.defaultCredential.clientId);
    await control('DELETE', '/requests');
    expect(sb.requestLog()).toEqual([]);
  });

  it('mirrors the v2 webhook surface: settings, published events, deliveries, employment ids', async () => {
    const rx = await startReceiver();
    try {
      expect((await control('PATCH', '/webhook-settings', { dispatchLatencyMs: 0 })).json.dispatchLatencyMs).toBe(0);
      expect((await control('PATCH', '/webhook-settings', { bogus: 1 })).status).toBe(400);
      const t = await v2Token(sb);
      await v2(sb, 'POST', '/v2/webhooks', t, {
        url: rx.url,
        description: 'c',
        status: 'ENABLED',
        auth_type: 'NONE',
        enabled_events: ['absence-period.created'],
      });
      expect((await control('GET', '/webhooks')).json).toEqual([expect.objectContaining({ url: rx.url, status: 'ENABLED' })]);
      const published = await control('POST', '/events', { event_name: 'absence-period.created', payload: { absence_period: { id: 'a-1' } } });
      expect(published.status).toBe(201);
      expect((await control('POST', '/deliveries/idle', {})).status).toBe(200);
      expect(rx.received.map((r) => r.body.payload)).toEqual([{ absence_period: { id: 'a-1' } }]);
      expect((await control('GET', '/deliveries')).json).toEqual([expect.objectContaining({ event_name: 'absence-period.created', is_delivered: true })]);
      expect((await control('GET', '/events')).json.at(-1)).toMatchObject({ event_name: 'absence-period.created' });
      const [id] = sb.employeeIds();
      expect((await control('GET', `/employees/${id}/employment`)).json).toEqual({ id: sb.employmentId(id) });
    } finally {
      await rx.close();
    }
  });
});
