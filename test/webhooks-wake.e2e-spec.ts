import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { enqueueEvent } from '../src/webhooks/outbox';
import { startTestGateway, TestGateway } from './support/gateway';
import { startWebhookReceiver, WebhookReceiver } from './support/webhook-receiver';

// The poll interval is set to its maximum (60 s), far beyond every wait below: a delivery
// that arrives proves the commit woke the worker, not the poll.
const WEBHOOK_ENV = { WEBHOOK_POLL_MS: '60000', WEBHOOK_TIMEOUT_MS: '1000' };

const WAIT_MS = 20_000;

describe('webhook delivery woken by the commit', () => {
  let gw: TestGateway;
  let rx: WebhookReceiver;
  const auth = () => ({ Authorization: `Bearer ${gw.apiKey}` });

  const emit = (ds: DataSource) =>
    ds.transaction((em) => enqueueEvent(em, { environmentId: gw.environmentId, integrationId: null, type: 'integration-created', data: { n: 1 } }));

  beforeAll(async () => {
    gw = await startTestGateway({ env: WEBHOOK_ENV });
    rx = await startWebhookReceiver();
    await request(gw.url).post('/v1/webhooks/endpoints').set(auth()).send({ url: rx.url }).expect(201);
    // The worker's first look found nothing; from here on only a wake-up (or the 60 s poll) claims.
    const worker = gw.app.get(DeliveryWorker);
    const end = Date.now() + WAIT_MS;
    while (worker.lastTickAt === null && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => {
    await gw?.close();
    await rx?.close();
  });
  afterEach(() => {
    rx.received.length = 0;
  });

  it('an event committed in this process is delivered without waiting for the poll', async () => {
    const id = await emit(gw.ds);
    await rx.waitFor((r) => r.some((w) => w.json.id === id), WAIT_MS);
  });

  it('a redelivery is sent without waiting for the poll', async () => {
    const id = await emit(gw.ds);
    await rx.waitFor((r) => r.some((w) => w.json.id === id), WAIT_MS);
    rx.received.length = 0;
    await request(gw.url).post(`/v1/webhooks/events/${id}/redeliver`).set(auth()).expect(200);
    await rx.waitFor((r) => r.some((w) => w.json.id === id), WAIT_MS);
  });

  // Another process: its own connection pool, so only Postgres NOTIFY can reach this worker.
  // The embedded PGlite does not pass NOTIFY between connections; there such a process waits for the poll.
  const onPostgres = process.env.DATABASE_URL ? it : it.skip;
  onPostgres('an event committed by another process wakes the worker through NOTIFY', async () => {
    const other = createDataSource(String((gw.ds.options as { url: string }).url), { poolSize: 2 });
    await other.initialize();
    try {
      const id = await emit(other);
      await rx.waitFor((r) => r.some((w) => w.json.id === id), WAIT_MS);
    } finally {
      await other.destroy();
    }
  });
});
