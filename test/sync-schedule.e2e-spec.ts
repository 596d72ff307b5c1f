// Scheduling times: the next run is due an interval after the previous one's slot (its
// scheduled time, or its start when it ran ahead of schedule), not after it ended; and the
// worker sleeps until the next due time or a waking commit. The poll interval is set to
// 60 s, far beyond every wait below, so nothing here can pass by polling.
import request from 'supertest';
import { SyncWorker } from '../src/sync/sync.worker';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitFor, waitForRun } from './support/sync';

const WAIT_MS = 25_000;

describe('sync schedule timing', () => {
  const world = useSyncWorld({ employees: 30, seed: 5 }, { SYNC_POLL_MS: '60000' });
  let integrationId: string;
  const auth = () => ({ Authorization: `Bearer ${world.gw.apiKey}` });
  /** Times as epoch microseconds from Postgres, compared exactly. */
  const schedule = async () =>
    (
      await world.gw.ds.query(
        `SELECT (extract(epoch FROM next_delta_at) * 1e6)::bigint::text AS delta, (extract(epoch FROM next_full_at) * 1e6)::bigint::text AS full
         FROM sync_schedules WHERE integration_id = $1`,
        [integrationId],
      )
    )[0] as { delta: string; full: string };
  const micros = async (sql: string, params: unknown[]) =>
    ((await world.gw.ds.query(`SELECT (extract(epoch FROM (${sql})) * 1e6)::bigint::text AS t`, params))[0] as { t: string }).t;
  const scheduledRun = (after: string) =>
    waitFor(
      async () => {
        const rows: { id: string }[] = await world.gw.ds.query(
          `SELECT id FROM sync_runs WHERE integration_id = $1 AND trigger = 'SCHEDULE' AND queued_at > $2 ORDER BY queued_at DESC LIMIT 1`,
          [integrationId, after],
        );
        return rows[0];
      },
      WAIT_MS,
      'the scheduled run',
    );

  beforeAll(async () => {
    // Queuing the first sync wakes the worker at commit: it starts long before the 60 s poll.
    integrationId = (await connectWithFirstSync(world.gw, world.sb, { timeoutMs: WAIT_MS })).id;
  });
  afterEach(() => {});

  it('a run ahead of schedule (forced) sets the next delta an interval after its start', async () => {
    const run: { sync_id: string } = (
      await request(world.gw.url).post('/v1/force-sync').set(auth()).set('X-Integration-Id', integrationId).send({ type: 'DELTA' }).expect(200)
    ).body.data;
    const done = await waitForRun(world.gw.ds, run.sync_id, WAIT_MS);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.scheduled_for).toBeNull();
    expect((await schedule()).delta).toBe(await micros(`SELECT started_at + interval '5 minutes' FROM sync_runs WHERE id = $1`, [done.id]));
  });

  it('a scheduled run sets the next delta an interval after its scheduled time, not after it ended', async () => {
    const now = (await world.gw.ds.query(`SELECT now()::text AS t`))[0].t as string;
    // The slot came 10 s ago (the run is late by as much): the next one stays on the grid.
    await world.gw.ds.query(`UPDATE sync_schedules SET next_delta_at = now() - interval '10 seconds' WHERE integration_id = $1`, [integrationId]);
    const slot = (await schedule()).delta;
    world.gw.app.get(SyncWorker).wake();
    const done = await waitForRun(world.gw.ds, (await scheduledRun(now)).id, WAIT_MS);
    expect(done).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA', trigger: 'SCHEDULE' });
    expect(await micros(`SELECT scheduled_for FROM sync_runs WHERE id = $1`, [done.id])).toBe(slot);
    expect((await schedule()).delta).toBe(String(BigInt(slot) + 5n * 60n * 1_000_000n));
  });

  it('the worker sleeps until the next due time, not until the next poll', async () => {
    const now = (await world.gw.ds.query(`SELECT now()::text AS t`))[0].t as string;
    await world.gw.ds.query(`UPDATE sync_schedules SET next_delta_at = now() + interval '1 second' WHERE integration_id = $1`, [integrationId]);
    // The wake finds nothing due yet; only a timer armed for the due time can start the run in time.
    world.gw.app.get(SyncWorker).wake();
    const done = await waitForRun(world.gw.ds, (await scheduledRun(now)).id, WAIT_MS);
    expect(done).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA', trigger: 'SCHEDULE' });
    expect(new Date(done.started_at!).getTime()).toBeGreaterThanOrEqual(new Date(done.scheduled_for!).getTime());
  });
});
