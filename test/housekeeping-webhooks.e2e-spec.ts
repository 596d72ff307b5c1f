import { Client } from 'pg';
import request from 'supertest';
import { randomId } from '../src/common/ids';
import { useHousekeepingWorld } from './housekeeping.helpers';

/** Housekeeping of webhook events, their deliveries and attempts (see housekeeping.e2e-spec.ts). */
describe('housekeeping (retention)', () => {
  const h = useHousekeepingWorld();
  const { ago, q, count, exists } = h;

  describe('webhook events', () => {
    let endpoints: string[];

    /** An event with one delivery per status given (to the endpoints in order), each delivery with `attempts` attempts. */
    const event = async (daysAgo: number, deliveries: ('pending' | 'succeeded' | 'failed' | 'in-flight')[], attempts = 2) => {
      const id = randomId();
      await q(`INSERT INTO webhook_events (id, environment_id, integration_id, type, data, created_at) VALUES ($1, $2, $3, 'data-changed', '{}', $4)`, [
        id,
        h.w.gw.environmentId,
        h.w.integrationId,
        ago(daysAgo),
      ]);
      for (const [i, status] of deliveries.entries()) {
        const [d] = await q<{ id: string }>(
          `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, completed_at, claimed_by, claimed_until, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [
            id,
            endpoints[i],
            status === 'in-flight' ? 'pending' : status,
            attempts,
            status === 'succeeded' || status === 'failed' ? ago(daysAgo) : null,
            status === 'in-flight' ? 'some-worker' : null,
            status === 'in-flight' ? new Date(Date.now() + 60_000) : null,
            ago(daysAgo),
          ],
        );
        for (let n = 1; n <= attempts; n++) {
          await q(`INSERT INTO webhook_attempts (delivery_id, attempt, worker, started_at, status_code, outcome) VALUES ($1, $2, 'w', $3, 500, $4)`, [
            d.id,
            n,
            ago(daysAgo),
            n === attempts && status !== 'pending' && status !== 'in-flight' ? status : 'retry',
          ]);
        }
      }
      return id;
    };
    const deliveriesOf = (eventId: string) => count(`webhook_deliveries WHERE event_id = $1`, [eventId]);
    const attemptsOf = (eventId: string) => count(`webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = $1`, [eventId]);

    beforeAll(async () => {
      endpoints = [];
      for (const path of ['/a', '/b']) {
        const res = await request(h.w.gw.url)
          .post('/v1/webhooks/endpoints')
          .set({ Authorization: `Bearer ${h.w.gw.apiKey}` })
          .send({ url: `http://127.0.0.1:9${path}` })
          .expect(201);
        endpoints.push(res.body.data.id);
      }
    });

    it('deletes old events whose deliveries all finished, with their deliveries and attempts; pending and in-flight ones stay whole', async () => {
      const delivered = await event(40, ['succeeded']);
      const mixed = await event(40, ['succeeded', 'failed']);
      const nobody = await event(40, []);
      const many = await Promise.all([45, 44, 43, 42].map((d) => event(d, ['failed'], 1)));
      const retrying = await event(40, ['succeeded', 'pending']);
      const inFlight = await event(40, ['in-flight']);
      const recent = await event(5, ['succeeded']);

      const pruned = await h.hk.run();
      expect(pruned).toMatchObject({ webhook_events: 7, webhook_deliveries: 7, webhook_attempts: 2 + 4 + 4 });
      for (const id of [delivered, mixed, nobody, ...many]) {
        expect({ id, event: await exists('webhook_events', 'id', id), deliveries: await deliveriesOf(id) }).toEqual({ id, event: false, deliveries: 0 });
      }
      for (const [id, deliveries] of [
        [retrying, 2],
        [inFlight, 1],
        [recent, 1],
      ] as const) {
        expect({ id, event: await exists('webhook_events', 'id', id), deliveries: await deliveriesOf(id), attempts: await attemptsOf(id) }).toEqual({
          id,
          event: true,
          deliveries,
          attempts: deliveries * 2,
        });
      }
      // The delivery log answers for what is kept, and 404 for what is gone.
      const auth = { Authorization: `Bearer ${h.w.gw.apiKey}` };
      await request(h.w.gw.url).get(`/v1/webhooks/events/${delivered}`).set(auth).expect(404);
      const kept = await request(h.w.gw.url).get(`/v1/webhooks/events/${retrying}`).set(auth).expect(200);
      expect(kept.body.data.attempts).toHaveLength(4);
    });

    const withServer = process.env.DATABASE_URL ? it : it.skip; // PGlite runs one transaction at a time: no race to stage
    withServer('a redelivery racing the prune of its event answers 404, not 500', async () => {
      const old = await event(40, ['succeeded']);
      const pruner = new Client({ connectionString: h.w.gw.config.databaseUrl! });
      await pruner.connect();
      try {
        // The prune has deleted the event but not committed: the redelivery still finds the
        // event, and its insert waits on the deleted row until the prune commits.
        await pruner.query('BEGIN');
        await pruner.query(`DELETE FROM webhook_attempts a USING webhook_deliveries d WHERE a.delivery_id = d.id AND d.event_id = $1`, [old]);
        await pruner.query(`DELETE FROM webhook_deliveries WHERE event_id = $1`, [old]);
        await pruner.query(`DELETE FROM webhook_events WHERE id = $1`, [old]);
        const redelivery = request(h.w.gw.url)
          .post(`/v1/webhooks/events/${old}/redeliver`)
          .set({ Authorization: `Bearer ${h.w.gw.apiKey}` })
          .then((r) => r);
        const pid = (await pruner.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid;
        for (let i = 0; i < 200; i++) {
          const waiting = await pruner.query(`SELECT 1 FROM pg_locks WHERE NOT granted AND pid <> $1 AND locktype IN ('transactionid', 'tuple')`, [pid]);
          if (waiting.rowCount) break;
          await new Promise((r) => setTimeout(r, 25));
        }
        await pruner.query('COMMIT');
        const res = await redelivery;
        expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 404, code: 'PLATFORM.NOT_FOUND' });
        expect(res.body.error.message).toContain(old);
      } finally {
        await pruner.end();
      }
    });

    it('leaves webhook events alone when RETENTION_WEBHOOK_EVENTS_DAYS is 0', async () => {
      const old = await event(400, ['succeeded']);
      h.w.gw.config.retention.webhookEventsDays = 0;
      expect(await h.hk.run()).not.toHaveProperty('webhook_events');
      expect([await exists('webhook_events', 'id', old), await deliveriesOf(old), await attemptsOf(old)]).toEqual([true, 1, 2]);
    });
  });
});
