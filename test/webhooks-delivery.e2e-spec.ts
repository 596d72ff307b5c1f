import request from 'supertest';
import { IntegrationsService } from '../src/integrations/integrations.service';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { enqueueEvent, recordChanges } from '../src/webhooks/outbox';
import { startTestGateway, TestGateway } from './support/gateway';
import { startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

// Retry window 2.5 s (24 h in production), request timeout 1 s (10 s): short enough for
// quick tests, long enough that a loaded CI machine does not time out a healthy receiver.
const WEBHOOK_ENV = {
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_LEASE_MS: '3000',
  WEBHOOK_RETRY_BASE_MS: '30',
  WEBHOOK_RETRY_MAX_DELAY_MS: '150',
  WEBHOOK_RETRY_WINDOW_MS: '2500',
  WEBHOOK_ENDPOINT_CONCURRENCY: '4',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhook delivery', () => {
  let gw: TestGateway;
  let rx: WebhookReceiver;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });
  const api = () => request(gw.url);

  async function endpoint(body: Record<string, unknown>): Promise<string> {
    return (await api().post('/v1/webhooks/endpoints').set(auth()).send(body).expect(201)).body.data.id;
  }
  async function emit(type = 'integration-created', integrationId: string | null = null): Promise<string> {
    const id = await gw.ds.transaction((em) => enqueueEvent(em, { environmentId: gw.environmentId, integrationId, type, data: { n: 1 } }));
    gw.app.get(DeliveryWorker).nudge();
    return id;
  }
  async function event(id: string) {
    return (await api().get(`/v1/webhooks/events/${id}`).set(auth()).expect(200)).body.data;
  }
  async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (ok(v)) return v;
      if (Date.now() > end) throw new Error(`condition not met: ${JSON.stringify(v).slice(0, 500)}`);
      await sleep(25);
    }
  }
  const settled = (id: string) =>
    until(
      () => event(id),
      (e) => e.deliveries.every((d: { status: string }) => d.status !== 'pending'),
    );

  beforeAll(async () => {
    gw = await startTestGateway({ env: WEBHOOK_ENV });
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await gw?.close();
    await rx?.close();
  });
  afterEach(async () => {
    await gw.ds.query('DELETE FROM webhook_endpoints');
    rx.setReaction(() => 200);
    rx.received.length = 0;
  });

  it('writes nothing for a transaction that rolled back', async () => {
    await endpoint({ url: rx.url });
    await expect(
      gw.ds.transaction(async (em) => {
        await enqueueEvent(em, { environmentId: gw.environmentId, integrationId: null, type: 'integration-created', data: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const committed = await emit();
    await rx.waitFor((r) => r.length >= 1);
    await sleep(100);
    expect(rx.ids()).toEqual([committed]);
  });

  it('a receiver that fails 5 times then recovers gets the event, with every attempt logged', async () => {
    await endpoint({ url: rx.url });
    rx.setReaction((_, n) => (n <= 3 ? 500 : n <= 4 ? 429 : n <= 5 ? 'drop' : 200));
    const id = await emit();
    const ev = await settled(id);
    expect(ev.deliveries[0]).toMatchObject({ status: 'succeeded', attempts: 6, last_status_code: 200, last_error: null });
    expect(ev.attempts.map((a: { status_code: number | null; outcome: string }) => [a.status_code, a.outcome])).toEqual([
      [500, 'retry'],
      [500, 'retry'],
      [500, 'retry'],
      [429, 'retry'],
      [null, 'retry'],
      [200, 'succeeded'],
    ]);
    expect(ev.attempts[4].error).toMatch(/connection error/);
    expect(new Set(rx.ids())).toEqual(new Set([id]));
    // Retries back off: each gap is longer than the first.
    const gaps = rx.received.slice(1).map((r, i) => r.at - rx.received[i].at);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
  });

  it('does not retry a 4xx other than 408/429, and does not follow redirects', async () => {
    const target = await startWebhookReceiver();
    try {
      await endpoint({ url: rx.url });
      rx.setReaction(() => 400);
      const a = await emit();
      expect((await settled(a)).deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 400 });
      rx.setReaction(() => 307);
      const b = await emit();
      const ev = await settled(b);
      expect(ev.deliveries[0]).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 307 });
      expect(ev.deliveries[0].last_error).toMatch(/redirect/);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it('times out a hanging receiver and retries it', async () => {
    await endpoint({ url: rx.url });
    rx.setReaction((_, n) => (n === 1 ? 'hang' : 200));
    const id = await emit();
    const ev = await settled(id);
    expect(ev.attempts[0]).toMatchObject({ outcome: 'retry', error: 'timeout', status_code: null });
    expect(ev.attempts[0].latency_ms).toBeGreaterThanOrEqual(990);
    expect(ev.deliveries[0].status).toBe('succeeded');
    expect(ev.attempts.at(-1)).toMatchObject({ outcome: 'succeeded', status_code: 200 });
  });

  it('an internal fault while sending is a logged attempt that is retried, not a lost one', async () => {
    await endpoint({ url: rx.url });
    const sender = (gw.app.get(DeliveryWorker) as unknown as { sender: { send: (...a: unknown[]) => Promise<unknown> } }).sender;
    const spy = jest.spyOn(sender, 'send').mockRejectedValueOnce(new TypeError('boom'));
    try {
      const id = await emit();
      const ev = await settled(id);
      expect(ev.attempts[0]).toMatchObject({ outcome: 'retry', error: 'internal error in the gateway', status_code: null });
      expect(ev.deliveries[0].status).toBe('succeeded');
      expect(rx.received).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('a receiver down for the whole retry window ends failed in the log, and can be redelivered', async () => {
    await endpoint({ url: rx.url });
    rx.setReaction(() => 503);
    const since = new Date().toISOString();
    const a = await emit();
    const b = await emit();
    const failedA = await settled(a);
    await settled(b);
    expect(failedA.deliveries[0].status).toBe('failed');
    expect(failedA.deliveries[0].attempts).toBeGreaterThanOrEqual(5);
    const span = Date.parse(failedA.attempts.at(-1).started_at) - Date.parse(failedA.attempts[0].started_at);
    // Retried for the whole 2,500 ms window. The window runs from the claim of the first
    // attempt; started_at is taken a moment later, as the request goes out.
    expect(span).toBeGreaterThanOrEqual(2400);
    const list = await api().get('/v1/webhooks/events').query({ status: 'failed', since }).set(auth()).expect(200);
    expect(list.body.data.results.map((e: { id: string }) => e.id).sort()).toEqual([a, b].sort());

    rx.setReaction(() => 200);
    rx.received.length = 0;
    const one = await api().post(`/v1/webhooks/events/${a}/redeliver`).set(auth()).expect(200);
    expect(one.body.data).toEqual({ event_id: a, deliveries: 1 });
    await rx.waitFor((r) => r.some((h) => h.json.id === a));
    expect((await settled(a)).deliveries[0].status).toBe('succeeded');
    const all = await api().post('/v1/webhooks/redeliver-failed').set(auth()).send({ since }).expect(200);
    expect(all.body.data).toEqual({ deliveries: 1 }); // only b is still failed
    await rx.waitFor((r) => r.some((h) => h.json.id === b));
    expect((await settled(b)).deliveries[0].status).toBe('succeeded');
  });

  it('a dead endpoint does not hold up the others', async () => {
    const slow = await startWebhookReceiver(() => 'hang');
    try {
      await endpoint({ url: slow.url });
      await endpoint({ url: rx.url });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push(await emit());
      const started = Date.now();
      await rx.waitFor((r) => new Set(r.map((h) => h.json.id)).size === 20, 3000);
      expect(Date.now() - started).toBeLessThan(1500);
      // The hanging endpoint never has more than its concurrency cap in flight.
      expect(slow.received.length).toBeLessThanOrEqual(4 + 4);
    } finally {
      await gw.ds.query('DELETE FROM webhook_endpoints');
      await slow.close();
    }
  });

  it('record-level events go only to endpoints that opted in, and are not written otherwise', async () => {
    const integ = await gw.app
      .get(IntegrationsService)
      .create({ environmentId: gw.environmentId, tool: 'personio', credentials: { a: 1 }, endUserOrganizationName: 'Acme' });
    const ref = { id: integ.id, environmentId: gw.environmentId };
    const change = { model: 'employees' as const, action: 'updated' as const, id: 'E1', remote_id: '1', changed_fields: ['first_name', 'work_email'] };
    await endpoint({ url: rx.url });
    await gw.ds.transaction((em) => recordChanges(em, ref, [change]));
    const [{ n }] = await gw.ds.query(`SELECT count(*)::int AS n FROM webhook_events WHERE type LIKE 'hris.%'`);
    expect(n).toBe(0);

    const other = await startWebhookReceiver();
    try {
      await endpoint({ url: other.url, record_events: true });
      await gw.ds.transaction((em) =>
        recordChanges(em, ref, [
          change,
          { model: 'groups', action: 'created', id: 'G1', remote_id: 'g' },
          { model: 'employments', action: 'deleted', id: 'M1', remote_id: 'm' },
        ]),
      );
      gw.app.get(DeliveryWorker).nudge();
      await other.waitFor((r) => r.length === 2);
      const byType = Object.fromEntries(other.received.map((h) => [h.json.type, h.json.data]));
      expect(byType['hris.employee.updated']).toEqual({
        integration_id: integ.id,
        integration_tool: 'personio',
        integration_category: 'HRIS',
        model: 'hris_employees',
        id: 'E1',
        remote_id: '1',
        changed_fields: ['first_name', 'work_email'],
      });
      expect(byType['hris.group.created']).toMatchObject({ id: 'G1', remote_id: 'g', model: 'hris_teams' });
      await sleep(100);
      expect(rx.received).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('filters the delivery log by type, integration and time, with cursor paging', async () => {
    await endpoint({ url: rx.url, events: ['integration-created'] });
    const integ = await gw.app
      .get(IntegrationsService)
      .create({ environmentId: gw.environmentId, tool: 'personio', credentials: { a: 1 }, endUserOrganizationName: 'Acme' });
    const since = new Date().toISOString();
    const created = [await emit('integration-created', integ.id), await emit('integration-created', integ.id), await emit('integration-created', integ.id)];
    const deleted = await emit('integration-deleted', integ.id); // the endpoint does not subscribe to it
    const page1 = await api()
      .get('/v1/webhooks/events')
      .query({ since, integration_id: integ.id, type: 'integration-created', page_size: 2 })
      .set(auth())
      .expect(200);
    expect(page1.body.data.results.map((e: { id: string }) => e.id)).toEqual([created[2], created[1]]);
    const page2 = await api()
      .get('/v1/webhooks/events')
      .query({ since, integration_id: integ.id, type: 'integration-created', page_size: 2, cursor: page1.body.data.next })
      .set(auth())
      .expect(200);
    expect(page2.body.data.results.map((e: { id: string }) => e.id)).toEqual([created[0]]);
    expect(page2.body.data.next).toBeNull();
    const del = await event(deleted);
    expect(del.deliveries).toEqual([]);
    const bad = await api().get('/v1/webhooks/events').query({ since: 'yesterday' }).set(auth()).expect(400);
    expect(bad.body.error.message).toMatch(/since/);
  });
});
