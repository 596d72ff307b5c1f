import { RemoteFields1795340000000 } from '../migrations/1795340000000-RemoteFields';
import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

// Rows synced before remote_fields existed get them from the migration's backfill, equal to
// what the connector yields, and the next sync finds nothing changed (remote_fields is not hashed).
describe('remote_fields on an upgraded database', () => {
  const world = useSyncWorld({ employees: 25, seed: 7 });

  it('backfills remote_fields from stored rows as the connector writes them; the next full sync writes nothing', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb);
    const fields = async (table: string) =>
      (await world.gw.ds.query(`SELECT id, remote_fields FROM ${table} WHERE integration_id = $1 ORDER BY id`, [integration.id])) as Array<{
        id: string;
        remote_fields: Record<string, unknown>;
      }>;
    const synced = { employees: await fields('hris_employees'), employments: await fields('hris_employments') };
    expect(synced.employees.length).toBe(25);
    expect(synced.employments.length).toBeGreaterThan(0);
    // Not vacuous: the connector's fields hold values, custom (dynamic_) ones among them.
    expect(Object.keys(synced.employees[0].remote_fields)).toEqual(expect.arrayContaining(['first_name', 'email']));
    expect(synced.employees.some((e) => Object.keys(e.remote_fields).some((k) => k.startsWith('dynamic_')))).toBe(true);

    // The database as it was before the migration, then the migration.
    for (const table of ['hris_employees', 'hris_employments']) await world.gw.ds.query(`ALTER TABLE ${table} DROP COLUMN remote_fields`);
    const runner = world.gw.ds.createQueryRunner();
    try {
      await new RemoteFields1795340000000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await fields('hris_employees')).toEqual(synced.employees);
    expect(await fields('hris_employments')).toEqual(synced.employments);

    const events = async () =>
      (
        await world.gw.ds.query(`SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND (type = 'data-changed' OR type LIKE 'hris.%')`, [
          integration.id,
        ])
      )[0].n as number;
    const before = await events();
    const sync = world.gw.app.get(SyncService);
    const run = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(run).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect(before).toBeGreaterThan(0);
    expect(await events()).toBe(before);
    expect(await fields('hris_employees')).toEqual(synced.employees);
  });
});
