import { PersonioSandbox, startPersonioSandbox } from './index';
import { Receiver, startReceiver, v2, v2Token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let rx: Receiver;
let t: string;
beforeEach(async () => {
  sb = await startPersonioSandbox({ employees: 10, now: NOW, webhooks: { dispatchLatencyMs: 0, retryTimeScale: 1e6, fastAttempt: false } });
  rx = await startReceiver();
  t = await v2Token(sb);
});
afterEach(async () => {
  await sb.close();
  await rx.close();
});

const create = async (extra: Record<string, unknown> = {}) =>
  (
    await v2(sb, 'POST', '/v2/webhooks', t, {
      url: rx.url,
      description: 'log',
      status: 'ENABLED',
      auth_type: 'NONE',
      enabled_events: ['person.created', 'person.updated'],
      ...extra,
    })
  ).json.id as string;

describe('webhook event log, activity, ping and test-event', () => {
  it('lists the events of a webhook (30 days) and its delivery activity, filtered by is_delivered', async () => {
    rx.respond = (n) => (n === 1 ? 200 : 400);
    const id = await create();
    const { id: person } = sb.hire();
    sb.change(person, { first_name: 'Two' });
    await rx.waitFor(2);
    await sb.deliveriesIdle();
    const events = await v2(sb, 'GET', `/v2/webhooks/${id}/events`, t);
    expect(events.json._data.map((e: { event_name: string }) => e.event_name)).toEqual(['person.created', 'person.updated']);
    expect((await v2(sb, 'GET', `/v2/webhooks/${id}/events?event_name=person.updated`, t)).json._data).toHaveLength(1);
    expect((await v2(sb, 'GET', `/v2/webhooks/${id}/events?occurred_at.gte=2026-03-03T00:00:00.000Z`, t)).json._data).toHaveLength(0);
    const failed = await v2(sb, 'GET', `/v2/webhooks/${id}/activity?is_delivered=false`, t);
    expect(failed.json._data).toEqual([expect.objectContaining({ event_name: 'person.updated', status_code: 400, is_delivered: false })]);
    sb.advanceClock(31 * 86_400_000);
    t = await v2Token(sb); // the old one expired after 24 h
    expect((await v2(sb, 'GET', `/v2/webhooks/${id}/events`, t)).json._data).toHaveLength(0);
    expect((await v2(sb, 'GET', '/v2/webhooks/00000000-0000-4000-8000-000000000000/events', t)).status).toBe(404);
  });

  it('ping sends a ping event to any webhook; test-event only for subscribed events and with a payload', async () => {
    const id = await create({ status: 'DISABLED' });
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/ping`, t)).status).toBe(200);
    const [ping] = await rx.waitFor(1);
    expect(ping.body).toMatchObject({ event_name: 'ping', company_id: sb.companyId, payload: {} });
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/test-event`, t, { event_name: 'person.deleted', payload: { person: { id: '1' } } })).status).toBe(400);
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/test-event`, t, { event_name: 'person.created' })).status).toBe(400);
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/test-event`, t, { event_name: 'person.created', payload: { person: { id: '42' } } })).status).toBe(200);
    const [, test] = await rx.waitFor(2);
    expect(test.body).toMatchObject({ event_name: 'person.created', payload: { person: { id: '42' } } });
  });

  it('retries carry the token current at send time, or the one at event time with retryUsesCurrentToken=false', async () => {
    for (const current of [true, false]) {
      sb.setWebhookSettings({ retryUsesCurrentToken: current, retryTimeScale: 1, retryDelaysMs: [300] });
      rx.received.length = 0;
      rx.respond = (n) => (n === 1 ? 503 : 200);
      const id = await create({ auth_type: 'TOKEN', token: 'old', enabled_events: ['person.created'], url: `${rx.url}/${String(current)}` });
      sb.hire();
      await rx.waitFor(1);
      await v2(sb, 'PATCH', `/v2/webhooks/${id}`, t, { token: 'new' });
      const [, retry] = await rx.waitFor(2);
      expect(retry.headers.authorization).toBe(current ? 'new' : 'old');
      await sb.deliveriesIdle();
      await v2(sb, 'DELETE', `/v2/webhooks/${id}`, t);
    }
  });

  it('redelivers the events of a range (≤ 100 per call, ≤ 500 per hour), e.g. after the retries gave up', async () => {
    rx.respond = () => 404;
    const id = await create({ enabled_events: ['person.created'] });
    sb.hire();
    await rx.waitFor(1);
    await sb.deliveriesIdle();
    rx.respond = () => 200;
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/redelivery`, t, {})).status).toBe(400);
    const r = await v2(sb, 'POST', `/v2/webhooks/${id}/redelivery`, t, { 'occurred_at.gte': '2026-03-02T00:00:00Z' });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ count: 1 });
    const [first, again] = await rx.waitFor(2);
    expect(again.body).toEqual(first.body);
    // 100 older events (yesterday, within the 30 days) plus one more today: over 100 in one call → 400.
    for (let i = 0; i < 100; i++) sb.publishEvent('person.created', { person: { id: String(5000 + i) } }, new Date('2026-03-01T10:00:00Z'));
    await rx.waitFor(102);
    await sb.deliveriesIdle();
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/redelivery`, t, { 'occurred_at.gte': '2026-03-01T00:00:00Z' })).status).toBe(400);
    // 1 + 4 × 100 = 401 redelivered this hour so far; the next 100 would pass 500.
    const yesterday = { 'occurred_at.lte': '2026-03-01T12:00:00Z' };
    for (let i = 0; i < 4; i++) expect((await v2(sb, 'POST', `/v2/webhooks/${id}/redelivery`, t, yesterday)).status).toBe(202);
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/redelivery`, t, yesterday)).status).toBe(429);
    sb.advanceClock(3_600_000);
    expect((await v2(sb, 'POST', `/v2/webhooks/${id}/redelivery`, t, yesterday)).status).toBe(202);
    await sb.deliveriesIdle();
  });
});
