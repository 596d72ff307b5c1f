import { PersonioSandbox, startPersonioSandbox } from './index';
import { Receiver, startReceiver, v2, v2Token } from './testing';

const NOW = new Date('2026-03-02T09:30:00Z');
let sb: PersonioSandbox;
let rx: Receiver;
let t: string;
beforeEach(async () => {
  sb = await startPersonioSandbox({ employees: 10, now: NOW, webhooks: { dispatchLatencyMs: 0, retryTimeScale: 1e6 } });
  rx = await startReceiver();
  t = await v2Token(sb);
});
afterEach(async () => {
  await sb.close();
  await rx.close();
});

async function subscribe(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await v2(sb, 'POST', '/v2/webhooks', t, {
    url: rx.url,
    description: 'test',
    status: 'ENABLED',
    token: 'Bearer tok-1',
    enabled_events: ['person.created', 'person.updated', 'employment.updated'],
    ...extra,
  });
  if (r.status !== 201) throw new Error(`create failed ${r.status} ${r.text}`);
  return r.json.id as string;
}

describe('webhook delivery', () => {
  it('POSTs the envelope to enabled subscriptions with the token verbatim in Authorization; disabled or unsubscribed get nothing', async () => {
    await subscribe();
    await subscribe({ status: 'DISABLED', url: `${rx.url}/disabled` });
    const [id] = sb.employeeIds();
    sb.change(id, { first_name: 'Ada' });
    sb.remove(id); // person.deleted: not subscribed
    const [got] = await rx.waitFor(1);
    await sb.deliveriesIdle();
    expect(rx.received).toHaveLength(1);
    expect(got.headers.authorization).toBe('Bearer tok-1');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.body).toEqual({
      company_id: sb.companyId,
      event_name: 'person.updated',
      occurred_at: expect.stringMatching(/^2026-03-02T09:30:\d\dZ$/),
      payload: { person: { id: String(id) } },
      meta: {},
    });
    expect(sb.deliveries()).toEqual([
      expect.objectContaining({ event_name: 'person.updated', attempt: 1, request: 1, status_code: 200, is_delivered: true, error: null }),
    ]);
  });

  it('sends the custom headers for CUSTOM and no Authorization for NONE', async () => {
    await subscribe({ token: undefined, auth_type: 'CUSTOM', custom_headers: { 'X-Gateway-Secret': 's1', 'X-Tenant': 't' } });
    sb.hire();
    const [custom] = await rx.waitFor(1);
    expect(custom.headers).toMatchObject({ 'x-gateway-secret': 's1', 'x-tenant': 't' });
    expect(custom.headers.authorization).toBeUndefined();
    await sb.deliveriesIdle();
    for (const w of sb.webhooks()) await v2(sb, 'PATCH', `/v2/webhooks/${String(w.id)}`, t, { auth_type: 'NONE' });
    sb.hire();
    const [, none] = await rx.waitFor(2);
    expect(none.headers.authorization).toBeUndefined();
    expect(none.headers['x-gateway-secret']).toBeUndefined();
  });

  it('counts a receiver that does not answer within 3 s as failed and re-sends at once (fast attempt)', async () => {
    rx.respond = (n) => (n === 1 ? 'hang' : 200);
    await subscribe();
    sb.hire();
    const [first, second] = await rx.waitFor(2, 10_000);
    expect(second.body).toEqual(first.body); // the same event twice: receivers must dedupe
    await sb.deliveriesIdle();
    const [timedOut, ok] = sb.deliveries();
    expect(timedOut).toMatchObject({ attempt: 1, request: 1, is_delivered: false, error: 'timeout', status_code: null });
    const waited = Date.parse(timedOut.completed_at) - Date.parse(timedOut.started_at);
    expect(waited).toBeGreaterThanOrEqual(2990);
    expect(waited).toBeLessThan(6000); // loose: only the order of magnitude, the machine may be loaded
    expect(ok).toMatchObject({ attempt: 1, request: 2, is_delivered: true });
  }, 15_000);

  it('retries timeouts/5xx on the compressed schedule: at most 7 attempts of 2 requests (14), then gives up', async () => {
    rx.respond = () => 503;
    await subscribe({ enabled_events: ['person.created'] });
    sb.hire();
    await rx.waitFor(14);
    await sb.deliveriesIdle();
    expect(rx.received).toHaveLength(14);
    expect(sb.deliveries().map((d) => [d.attempt, d.request])).toEqual(
      [1, 2, 3, 4, 5, 6, 7].flatMap((a) => [
        [a, 1],
        [a, 2],
      ]),
    );
    expect(sb.deliveries().every((d) => d.status_code === 503 && !d.is_delivered)).toBe(true);
  });

  it('a retry that succeeds stops the schedule; the 3-day schedule is used by default (scaled by retryTimeScale)', async () => {
    rx.respond = (n) => (n <= 2 ? 500 : 204);
    sb.setWebhookSettings({ retryTimeScale: 60_000 }); // 1 min → 1 ms, 5 min → 5 ms
    await subscribe({ enabled_events: ['person.created'] });
    sb.hire();
    await rx.waitFor(3);
    await sb.deliveriesIdle();
    expect(sb.deliveries().map((d) => [d.attempt, d.request, d.status_code])).toEqual([
      [1, 1, 500],
      [1, 2, 500],
      [2, 1, 204],
    ]);
    expect(sb.webhookSettings().retryDelaysMs).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 43_200_000, 172_800_000]);
  });

  it.each([[501], [404], [410]])('does not retry a %d', async (status) => {
    rx.respond = () => status;
    await subscribe({ enabled_events: ['person.created'] });
    sb.hire();
    await rx.waitFor(1);
    await sb.deliveriesIdle();
    expect(rx.received).toHaveLength(1);
    expect(sb.deliveries()).toEqual([expect.objectContaining({ status_code: status, is_delivered: false })]);
  });

  it('does not follow a redirect and does not retry it', async () => {
    const other = await startReceiver();
    try {
      rx.respond = () => ({ status: 307, headers: { location: other.url } });
      await subscribe({ enabled_events: ['person.created'] });
      sb.hire();
      await rx.waitFor(1);
      await sb.deliveriesIdle();
      expect(other.received).toHaveLength(0);
      expect(sb.deliveries()).toEqual([expect.objectContaining({ status_code: 307, is_delivered: false, error: 'redirect not followed' })]);
    } finally {
      await other.close();
    }
  });

  it('duplicate mode sends each delivered event a second time', async () => {
    sb.setFaults({ webhookDuplicateRate: 1 });
    await subscribe({ enabled_events: ['person.created'] });
    sb.hire();
    const [a, b] = await rx.waitFor(2);
    expect(b.body).toEqual(a.body);
    await sb.deliveriesIdle();
    expect(sb.deliveries().map((d) => d.duplicate)).toEqual([false, true]);
  });

  it('out-of-order mode sends a burst of events newest first', async () => {
    sb.setFaults({ webhookOutOfOrder: true });
    await subscribe({ enabled_events: ['person.updated'] });
    const [id] = sb.employeeIds();
    sb.change(id, { first_name: 'One' });
    sb.change(id, { first_name: 'Two' });
    sb.change(id, { first_name: 'Three' });
    const sent = sb
      .events()
      .slice(-3)
      .map((e) => e.id);
    await rx.waitFor(3);
    await sb.deliveriesIdle();
    expect(sb.deliveries().map((d) => d.event_id)).toEqual([...sent].reverse());
  });

  it('waits the configured dispatch latency before the first request', async () => {
    sb.setWebhookSettings({ dispatchLatencyMs: 400 });
    await subscribe({ enabled_events: ['person.created'] });
    const before = Date.now();
    sb.hire();
    const [got] = await rx.waitFor(1);
    expect(got.at - before).toBeGreaterThanOrEqual(400);
  });

  it('refuses to deliver to an address the test did not allow, without a request or a retry', async () => {
    await subscribe({ url: 'https://gateway.example.com/hooks', enabled_events: ['person.created'] });
    sb.setWebhookSettings({ allowedHosts: ['::1'], allowHttpToAllowedHosts: true });
    const loop = await v2(sb, 'POST', '/v2/webhooks', t, { url: rx.url, description: 'x', status: 'ENABLED', token: 'x', enabled_events: ['person.created'] });
    expect(loop.status).toBe(422); // plain http is only accepted for allowed hosts
    sb.setWebhookSettings({ allowHttpToAllowedHosts: false, allowedHosts: ['127.0.0.1'] });
    await subscribe({ url: rx.url.replace('http:', 'https:').replace('127.0.0.1', 'localhost'), enabled_events: ['person.created'] });
    sb.hire();
    await sb.deliveriesIdle();
    expect(rx.received).toHaveLength(0);
    expect(sb.deliveries().map((d) => [d.url.split('/')[2].split(':')[0], d.error, d.request])).toEqual([
      ['gateway.example.com', 'address not allowed', 0],
      ['localhost', 'address not allowed', 0],
    ]);
  });

  it.each([
    ['deleted', (id: string) => v2(sb, 'DELETE', `/v2/webhooks/${id}`, t)],
    ['disabled', (id: string) => v2(sb, 'PATCH', `/v2/webhooks/${id}`, t, { status: 'DISABLED' })],
  ])('stops retrying once the webhook is %s', async (_how, stop) => {
    rx.respond = () => 500;
    sb.setWebhookSettings({ retryTimeScale: 1, retryDelaysMs: [1000] });
    const id = await subscribe({ enabled_events: ['person.created'] });
    sb.hire();
    await rx.waitFor(2);
    expect((await stop(id)).status).toBeLessThan(300);
    await sb.deliveriesIdle();
    expect(rx.received).toHaveLength(2);
  });
});
