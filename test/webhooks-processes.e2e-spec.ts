import request from 'supertest';
import { createGateway, Gateway } from '../src/bootstrap';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { enqueueEvent } from '../src/webhooks/outbox';
import { describeWithPostgresServer } from './support/database';
import { startTestGateway, TestGateway } from './support/gateway';
import { startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

// Two gateway processes on one database. Lease 1 s: a killed process's claims come back quickly.
const WEBHOOK_ENV = {
  WEBHOOK_POLL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_MS: '2500',
  WEBHOOK_RETRY_BASE_MS: '30',
  WEBHOOK_RETRY_MAX_DELAY_MS: '150',
  WEBHOOK_RETRY_WINDOW_MS: '60000',
  WEBHOOK_WORKER_CONCURRENCY: '8',
  WEBHOOK_ENDPOINT_CONCURRENCY: '12',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const multiProcess = describeWithPostgresServer(__filename, 'two gateway processes on one Postgres server');

multiProcess('webhook delivery across gateway processes', () => {
  let a: TestGateway;
  let b: Gateway;
  let rx: WebhookReceiver;

  /** A second gateway process on the first one's database. */
  const startSecond = () => createGateway({ ...a.config, port: 0, databaseUrl: a.config.databaseUrl ?? a.embedded!.url }, { inMemory: true });

  async function emitMany(n: number): Promise<string[]> {
    const ids: string[] = [];
    await a.ds.transaction(async (em) => {
      for (let i = 0; i < n; i++)
        ids.push(await enqueueEvent(em, { environmentId: a.environmentId, integrationId: null, type: 'integration-created', data: { i } }));
    });
    return ids;
  }
  const pending = async () => (await a.ds.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'`))[0].n as number;

  beforeAll(async () => {
    a = await startTestGateway({ env: WEBHOOK_ENV });
    b = await startSecond();
    rx = await startWebhookReceiver();
    await request(a.url)
      .post('/v1/webhooks/endpoints')
      .set({ Authorization: `Bearer ${a.apiKey}` })
      .send({ url: rx.url })
      .expect(201);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await rx?.close();
  });

  it('two processes share the work and never send the same attempt twice', async () => {
    rx.setReaction(() => 200);
    const ids = await emitMany(300);
    await rx.waitFor((r) => new Set(r.map((h) => h.json.id)).size === 300, 30_000);
    await sleep(200);
    expect(rx.received).toHaveLength(300); // each event exactly once: no attempt was sent by both
    expect(new Set(rx.ids())).toEqual(new Set(ids));
    const workers: { worker: string; n: number }[] = await a.ds.query(`SELECT worker, count(*)::int AS n FROM webhook_attempts GROUP BY worker`);
    expect(workers).toHaveLength(2);
    expect(workers.every((w) => w.n > 0)).toBe(true);
    for (let i = 0; i < 100 && (await pending()) > 0; i++) await sleep(50);
    expect(await pending()).toBe(0);
  });

  it('a process killed mid-delivery: its claims expire and the other process delivers them', async () => {
    rx.received.length = 0;
    // Only b works while the receiver holds every request open; then b dies.
    await a.app.get(DeliveryWorker).stop();
    rx.setReaction(() => 'hang');
    const ids = await emitMany(5);
    b.app.get(DeliveryWorker).nudge();
    await rx.waitFor((r) => r.length === 5);
    expect(b.app.get(DeliveryWorker).inFlightCount).toBe(5);
    b.app.get(DeliveryWorker).crash();
    await b.close();
    rx.setReaction(() => 200);
    const crashedAt = Date.now();
    a.app.get(DeliveryWorker).start();
    await rx.waitFor((r) => r.filter((h) => h.at >= crashedAt).length === 5, 15_000);
    const redelivered = rx.received.filter((h) => h.at >= crashedAt);
    expect(new Set(redelivered.map((h) => h.json.id))).toEqual(new Set(ids));
    // Not before the lease ran out: the claims were honoured while they lasted.
    expect(Math.min(...redelivered.map((h) => h.at)) - crashedAt).toBeGreaterThan(1000);
    for (let i = 0; i < 100 && (await pending()) > 0; i++) await sleep(50); // results are written just after the receiver answers
    const rows: { attempts: number; status: string }[] = await a.ds.query(
      `SELECT attempts, status FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE e.id = ANY($1)`,
      [ids],
    );
    expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 2)).toBe(true);
    const logged: { attempt: number }[] = await a.ds.query(
      `SELECT attempt FROM webhook_attempts t JOIN webhook_deliveries d ON d.id = t.delivery_id WHERE d.event_id = ANY($1)`,
      [ids],
    );
    expect(logged.map((l) => l.attempt)).toEqual([2, 2, 2, 2, 2]); // the killed process's attempt 1 left no result
  });
});
