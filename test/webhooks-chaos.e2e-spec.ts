import request from 'supertest';
import { startPersonioSandbox, type PersonioSandbox } from '../connectors/personio/sandbox';
import { createGateway, Gateway } from '../src/bootstrap';
import { stableId } from '../src/common/ids';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { describeWithPostgresServer } from './support/database';
import { startTestGateway, TestGateway } from './support/gateway';
import { fastSyncEnv, fastConnectors, waitForRun } from './support/sync';
import { connectWithFirstSync } from './support/sync-world';
import { Reaction, startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

// Chaos: the simulator changes data while syncs run, the receiver fails 30% of requests,
// and one of two gateway processes is killed mid-delivery.
const WEBHOOK_ENV = {
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_LEASE_MS: '1500',
  WEBHOOK_RETRY_BASE_MS: '20',
  WEBHOOK_RETRY_MAX_DELAY_MS: '100',
  WEBHOOK_RETRY_WINDOW_MS: '60000',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// 30% of requests fail (500 or a dropped connection); the rest answer after a short delay, so sends overlap.
const chaos = (): Reaction => {
  const r = Math.random();
  return r < 0.15 ? 500 : r < 0.3 ? 'drop' : { status: 200, delayMs: 30 };
};

const multiProcess = describeWithPostgresServer(__filename, 'two gateway processes on one Postgres server');

multiProcess('webhooks under chaos', () => {
  let a: TestGateway;
  let b: Gateway | null = null;
  let sb: PersonioSandbox;
  let rx: WebhookReceiver;

  beforeAll(async () => {
    sb = await startPersonioSandbox({ employees: 40, seed: 5, timeScale: 60 });
    a = await startTestGateway({ env: { ...WEBHOOK_ENV, ...fastSyncEnv() } }, { connectors: fastConnectors() });
    b = await createGateway({ ...a.config, port: 0, databaseUrl: a.config.databaseUrl ?? a.embedded!.url }, { inMemory: true, connectors: fastConnectors() });
    rx = await startWebhookReceiver(chaos);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await sb?.close();
    await rx?.close();
  });

  it('every event reaches the receiver and every committed change is covered', async () => {
    const auth = { Authorization: `Bearer ${a.apiKey}` };
    await request(a.url).post('/v1/webhooks/endpoints').set(auth).send({ url: rx.url, record_events: true }).expect(201);
    const integration = await connectWithFirstSync(a, sb);
    const emp = (remoteId: number) => stableId(integration.id, 'employees', String(remoteId));
    const expected: { type: string; id: string }[] = sb.employeeIds().map((id) => ({ type: 'hris.employee.created', id: emp(id) }));

    let killed = false;
    for (let round = 0; round < 6; round++) {
      const ids = sb.employeeIds();
      const hired = sb.hire({ first_name: `New${round}` });
      expected.push({ type: 'hris.employee.created', id: emp(hired.id) });
      const changed = ids[round * 3];
      sb.change(changed, { last_name: `Changed${round}` });
      expected.push({ type: 'hris.employee.updated', id: emp(changed) });
      const full = round % 2 === 1;
      if (round === 2) {
        // Make the kill deterministic: only process b delivers this round's events, and the
        // receiver answers slowly, so b is sure to have requests on the wire when it dies.
        await a.app.get(DeliveryWorker).stop();
        rx.setReaction(() => ({ status: 200, delayMs: 500 }));
      }
      if (full) {
        const removed = ids[round * 3 + 1];
        sb.remove(removed);
        expected.push({ type: 'hris.employee.deleted', id: emp(removed) });
      }
      const res = await request(a.url)
        .post('/v1/force-sync')
        .set(auth)
        .set('X-Integration-Id', integration.id)
        .send({ type: full ? 'FULL' : 'DELTA' })
        .expect(200);
      expect((await waitForRun(a.ds, res.body.data.sync_id)).status).toBe('SUCCEEDED');
      if (round === 2) {
        // Kill process b while it has requests on the wire.
        const worker = b!.app.get(DeliveryWorker);
        for (let i = 0; i < 2000 && worker.inFlightCount === 0; i++) await sleep(5);
        expect(worker.inFlightCount).toBeGreaterThan(0);
        worker.crash();
        await b!.close();
        b = null;
        killed = true;
        // Process a alone takes over b's leased claims once their lease runs out; chaos resumes.
        rx.setReaction(chaos);
        a.app.get(DeliveryWorker).start();
      }
    }
    expect(killed).toBe(true);

    // Everything committed is delivered: no pending deliveries, no unflushed change marks.
    for (let i = 0; i < 600; i++) {
      const [{ n }] = await a.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'succeeded'`);
      if (n === 0) break;
      await sleep(50);
    }
    const [{ n: notDelivered }] = await a.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status <> 'succeeded'`);
    expect(notDelivered).toBe(0);
    const marks = await a.ds.query(`SELECT * FROM webhook_pending_changes`);
    expect(marks).toEqual([]);

    const acknowledged = new Set(rx.received.filter((h) => h.status === 200).map((h) => h.json.id));
    const events: { id: string; type: string; data: { id?: string } }[] = await a.ds.query(`SELECT id, type, data FROM webhook_events`);
    expect(events.filter((e) => !acknowledged.has(e.id))).toEqual([]);
    expect(rx.received.filter((h) => h.status !== 200).length).toBeGreaterThan(0); // failures did happen

    // Each change made in the HRIS arrived as a record-level event for that employee.
    const got = new Set(rx.received.filter((h) => h.status === 200).map((h) => `${h.json.type} ${h.json.data.id}`));
    expect(expected.filter((e) => !got.has(`${e.type} ${e.id}`))).toEqual([]);
    // And the model-level view: one data-changed per sync that changed something, naming hris_employees.
    const dataChanged = rx.received.filter((h) => h.status === 200 && h.json.type === 'data-changed');
    expect(dataChanged.length).toBeGreaterThanOrEqual(7);
    expect(dataChanged.every((h) => (h.json.data.changed_models as { name: string }[]).length > 0)).toBe(true);
  }, 90_000);
});
