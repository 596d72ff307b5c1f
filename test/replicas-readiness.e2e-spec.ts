import { Client } from 'pg';
import request from 'supertest';
import { SyncWorker } from '../src/sync/sync.worker';
import { DeliveryWorker } from '../src/webhooks/delivery.worker';
import { startTestGateway, TestGateway } from './support/gateway';
import { fastSyncEnv, waitFor } from './support/sync';

/**
 * Readiness (/health) reflects the database and this process's job loops, so a load
 * balancer or orchestrator takes a replica whose scheduler is stuck out of rotation;
 * liveness (/health/live) stays a cheap answer.
 */
describe('readiness and liveness', () => {
  let gw: TestGateway;
  let api: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ env: fastSyncEnv() });
    api = await startTestGateway({ env: fastSyncEnv(), role: 'api' });
  });
  afterAll(async () => {
    await gw?.close();
    await api?.close();
  });

  it('reports the database and the age of the sync scheduler’s and webhook worker’s last tick', async () => {
    await waitFor(async () => gw.app.get(SyncWorker).lastTickAt, 5000, 'a first scheduler tick');
    const res = await request(gw.url).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect(res.body.info.sync_scheduler).toMatchObject({ status: 'up', stalled_after_seconds: 30 });
    expect(res.body.info.sync_scheduler.last_tick_age_seconds).toBeLessThan(5);
    expect(res.body.info.webhook_worker.status).toBe('up');
    expect(res.body.info.webhook_worker.last_tick_age_seconds).toBeLessThan(5);
  });

  it('an API-only process (GATEWAY_ROLE=api) runs no loops and is ready on the database alone', async () => {
    const res = await request(api.url).get('/health').expect(200);
    expect(Object.keys(res.body.info).sort()).toEqual(['database']);
    await new Promise((r) => setTimeout(r, 300)); // several poll intervals of both loops
    expect(api.app.get(SyncWorker).lastTickAt).toBeNull();
    expect(api.app.get(DeliveryWorker).lastTickAt).toBeNull();
  });

  const withServer = process.env.DATABASE_URL ? it : it.skip;
  if (!process.env.DATABASE_URL) {
    // eslint-disable-next-line no-console
    console.warn('Skipping the stuck-loop readiness test: it holds a lock from a second connection, which needs DATABASE_URL (the embedded database has one).');
  }

  withServer('a scheduler stuck on a lock makes the process unready (503) until it ticks again; liveness stays 200', async () => {
    const worker = gw.app.get(SyncWorker);
    const locker = new Client({ connectionString: gw.config.databaseUrl! });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE sync_schedules IN ACCESS EXCLUSIVE MODE');
      // Let any tick in progress reach the lock, then pretend the last completed one is long past.
      await new Promise((r) => setTimeout(r, 300));
      const before = Date.now();
      worker.lastTickAt = before - 45_000;
      await new Promise((r) => setTimeout(r, 300));
      expect(worker.lastTickAt).toBeLessThan(before); // no tick completed meanwhile: the loop is stuck
      const res = await request(gw.url).get('/health');
      expect(res.status).toBe(503);
      expect(res.body.error.sync_scheduler).toMatchObject({ status: 'down', message: 'the loop has not completed a tick recently' });
      expect(res.body.details.database.status).toBe('up');
      await request(gw.url).get('/health/live').expect(200);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await waitFor(async () => (await request(gw.url).get('/health')).status === 200, 5000, 'ready again');
  });
});
