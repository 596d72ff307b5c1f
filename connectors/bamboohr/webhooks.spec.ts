// BambooHR webhooks against the simulator: the subscription's lifecycle, deliveries the
// simulator really signed (verified, and refused when tampered with, old or signed with
// another key), and the events each event-based payload yields.
import { createHmac } from 'node:crypto';
import type { ConnectorContext, ConnectorLogger } from '../connector';
import { createBamboohrConnector } from './connector';
import { startBambooHrForTest, type BambooTestSandbox } from './sandbox/testing';
import type { BambooCredentials } from './types';
import { parseBambooDelivery, parseBambooTimestamp } from './webhooks';

const connector = createBamboohrConnector({ client: { timeScale: 1000 } });
const hooks = connector.webhooks!;
const logger: ConnectorLogger = { debug() {}, info() {}, warn() {}, error() {} };
/** A closed port on an allowed host: the simulator records each attempt (headers and exact body) as failed. */
const TARGET = 'http://127.0.0.1:9/inbound/int-1';

let sb: BambooTestSandbox;
beforeAll(async () => {
  sb = await startBambooHrForTest({ employees: 6, seed: 3 });
});
afterAll(async () => {
  await sb?.close();
});

function ctxFor(apiKey = sb.apiKey): ConnectorContext<BambooCredentials> {
  return {
    credentials: { companyDomain: sb.company, apiKey },
    baseUrl: sb.url,
    logger,
    signal: new AbortController().signal,
    now: () => sb.sandbox.now(),
    settings: {},
  };
}

const sign = (key: string, body: string, ts: string) =>
  createHmac('sha256', key)
    .update(body + ts)
    .digest('hex');

describe('subscription lifecycle', () => {
  afterEach(async () => {
    for (const w of sb.sandbox.webhooks()) await hooks.unsubscribe(ctxFor(), String(w.id));
  });

  it('creates an event-based JSON webhook monitoring the mapped fields and returns its private key as the secret', async () => {
    expect(await hooks.available(ctxFor())).toEqual({ ok: true });
    const sub = await hooks.subscribe(ctxFor(), TARGET, 'unused-token');
    const [w] = sb.sandbox.webhooks();
    expect(w).toMatchObject({ id: Number(sub.id), url: TARGET, format: 'json', events: ['employee.created', 'employee.updated', 'employee.deleted'] });
    expect(sub.secret).toBe(w.privateKey);
    expect(w.monitorFields).toEqual(
      expect.arrayContaining(['firstName', 'lastName', 'workEmail', 'jobTitle', 'department', 'supervisor', 'employmentHistoryStatus', 'customShirtSize']),
    );
    expect(w.monitorFields).not.toContain('linkedinUrl'); // not mapped: a change there is no reason to re-read
    expect(await hooks.check(ctxFor(), sub.id)).toBe('ACTIVE');
  });

  it("unsubscribes (plain-text answer, no retry); a webhook already gone is not an error; another key's webhook is missing for this one", async () => {
    const sub = await hooks.subscribe(ctxFor(), TARGET, 't');
    sb.sandbox.clearRequestLog();
    await hooks.unsubscribe(ctxFor(), sub.id);
    expect(sb.sandbox.requestLog().filter((r) => r.method === 'DELETE')).toHaveLength(1);
    expect(sb.sandbox.webhooks()).toEqual([]);
    await expect(hooks.unsubscribe(ctxFor(), sub.id)).resolves.toBeUndefined();
    expect(await hooks.check(ctxFor(), sub.id)).toBe('MISSING');
    const mine = await hooks.subscribe(ctxFor(), TARGET, 't');
    expect(await hooks.check(ctxFor(sb.sandbox.addApiKey().key), mine.id)).toBe('MISSING');
  });

  it("BambooHR accepts only https targets: the simulator's http allowance for loopback is what lets tests use http", async () => {
    sb.sandbox.setWebhookSettings({ allowHttpToAllowedHosts: false });
    try {
      await expect(hooks.subscribe(ctxFor(), TARGET, 't')).rejects.toMatchObject({ kind: 'UPSTREAM_INVALID_INPUT', message: expect.stringMatching(/https/) });
    } finally {
      sb.sandbox.setWebhookSettings({ allowHttpToAllowedHosts: true });
    }
  });
});

describe('verifyDelivery', () => {
  let secret: string;
  let delivery: { headers: Record<string, string>; body: string };

  beforeAll(async () => {
    secret = (await hooks.subscribe(ctxFor(), TARGET, 't')).secret!;
    sb.sandbox.clearDeliveries();
    sb.sandbox.update(sb.sandbox.employeeIds()[0], { firstName: 'Signed' });
    await sb.sandbox.deliveriesIdle();
    const d = sb.sandbox.deliveries()[0];
    delivery = { headers: d.headers, body: d.body };
  });
  afterAll(async () => {
    for (const w of sb.sandbox.webhooks()) await hooks.unsubscribe(ctxFor(), String(w.id));
  });

  const now = () => sb.sandbox.now();
  const raw = (s: string) => Buffer.from(s, 'utf8');

  it('accepts what the simulator signed, exactly as received', () => {
    expect(JSON.parse(delivery.body)).toMatchObject({ type: 'employee.updated', data: { changedFields: ['firstName'] } });
    expect(hooks.verifyDelivery!(delivery.headers, raw(delivery.body), secret, now())).toBe(true);
  });

  it('refuses another body, another key, a missing or malformed signature', () => {
    const other = delivery.body.replace('firstName', 'lastName');
    expect(hooks.verifyDelivery!(delivery.headers, raw(other), secret, now())).toBe(false);
    expect(hooks.verifyDelivery!(delivery.headers, raw(JSON.stringify(JSON.parse(delivery.body), null, 1)), secret, now())).toBe(false);
    expect(hooks.verifyDelivery!(delivery.headers, raw(delivery.body), 'f'.repeat(48), now())).toBe(false);
    const { 'x-bamboohr-signature': _, ...unsigned } = delivery.headers;
    expect(hooks.verifyDelivery!(unsigned, raw(delivery.body), secret, now())).toBe(false);
    expect(hooks.verifyDelivery!({ ...delivery.headers, 'x-bamboohr-signature': 'zz' }, raw(delivery.body), secret, now())).toBe(false);
    expect(
      hooks.verifyDelivery!({ ...delivery.headers, 'x-bamboohr-signature': [delivery.headers['x-bamboohr-signature']] }, raw(delivery.body), secret, now()),
    ).toBe(false);
  });

  it('refuses a changed timestamp (it is signed) and a correctly signed one older or newer than five minutes', () => {
    const ts = delivery.headers['x-bamboohr-timestamp'];
    expect(ts).toMatch(/^\d{10}$/);
    expect(hooks.verifyDelivery!({ ...delivery.headers, 'x-bamboohr-timestamp': String(Number(ts) + 1) }, raw(delivery.body), secret, now())).toBe(false);
    const at = Number(ts) * 1000;
    expect(hooks.verifyDelivery!(delivery.headers, raw(delivery.body), secret, new Date(at + 4 * 60_000))).toBe(true);
    expect(hooks.verifyDelivery!(delivery.headers, raw(delivery.body), secret, new Date(at + 6 * 60_000))).toBe(false);
    expect(hooks.verifyDelivery!(delivery.headers, raw(delivery.body), secret, new Date(at - 6 * 60_000))).toBe(false);
  });

  it("takes ISO timestamps too (`+0000` or `Z`), signing the header's string as sent", () => {
    const body = '{"type":"employee.created","timestamp":"2026-11-30T10:00:00+0000","data":{"companyId":"1","employeeId":"7"}}';
    for (const ts of ['2026-11-30T10:00:00+0000', '2026-11-30T10:00:00Z']) {
      const headers = { 'x-bamboohr-timestamp': ts, 'x-bamboohr-signature': sign(secret, body, ts) };
      expect(hooks.verifyDelivery!(headers, raw(body), secret, new Date('2026-11-30T10:02:00Z'))).toBe(true);
      expect(hooks.verifyDelivery!(headers, raw(body), secret, new Date('2026-11-30T10:06:00Z'))).toBe(false);
    }
    expect(parseBambooTimestamp('2026-11-30T10:00:00+0100')?.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(parseBambooTimestamp('yesterday')).toBeNull();
  });
});

describe('parseDelivery', () => {
  const at = '2026-11-30T10:00:00+0000';
  const event = (type: string, data: Record<string, unknown>) => parseBambooDelivery({ type, timestamp: at, data: { companyId: '12345', ...data } });

  it('employee.created and employee.updated name the person to re-read', () => {
    expect(event('employee.created', { employeeId: '101' })).toEqual([
      { dedupeKey: expect.any(String), name: 'employee.created', personIds: ['101'], removal: false, occurredAt: new Date('2026-11-30T10:00:00Z') },
    ]);
    expect(event('employee.updated', { employeeId: 102, changedFields: ['firstName'] })).toEqual([
      expect.objectContaining({ name: 'employee.updated', personIds: ['102'], removal: false }),
    ]);
  });

  it('employee.deleted is a removal', () => {
    expect(event('employee.deleted', { employeeId: '103' })).toEqual([
      expect.objectContaining({ name: 'employee.deleted', personIds: ['103'], removal: true }),
    ]);
  });

  it('a retry collapses with the original; another change in the same second does not', () => {
    const key = (d: Record<string, unknown>, type = 'employee.updated') => event(type, d)![0].dedupeKey;
    expect(key({ employeeId: '5', changedFields: ['firstName'] })).toBe(key({ employeeId: '5', changedFields: ['firstName'] }));
    expect(key({ employeeId: '5', changedFields: ['firstName'] })).not.toBe(key({ employeeId: '5', changedFields: ['jobTitle'] }));
    expect(key({ employeeId: '5', changedFields: ['firstName'] })).not.toBe(key({ employeeId: '6', changedFields: ['firstName'] }));
    expect(key({ employeeId: '5' }, 'employee.created')).not.toBe(key({ employeeId: '5' }));
  });

  it('company events name nobody; what is not an event-based delivery is refused', () => {
    expect(event('company.updated', {})).toEqual([expect.objectContaining({ name: 'company.updated', personIds: [] })]);
    expect(event('employee.updated', { employeeId: '../5' })).toBeNull();
    expect(event('employee.updated', {})).toBeNull();
    expect(parseBambooDelivery({ employees: [{ id: '5', changedFields: ['First name'] }] })).toBeNull(); // field-based (legacy)
    expect(parseBambooDelivery('type=employee.updated')).toBeNull();
    expect(parseBambooDelivery(null)).toBeNull();
  });
});
