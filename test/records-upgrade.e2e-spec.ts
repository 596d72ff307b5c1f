import { RemoteFields1795340000000 } from '../migrations/1795340000000-RemoteFields';
import { UnifiedJsonLz41795360000001 } from '../migrations/1795360000001-UnifiedJsonLz4';
import { RemoteDataJson1795360000200 } from '../migrations/1795360000200-RemoteDataJson';
import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

// Rows synced before remote_fields existed get them from the migration's backfill, equal to
// what the connector yields, and the next sync finds nothing changed (remote_fields is not hashed,
// and remote_data's hash is over the connector's JSON, not over how Postgres stores it).
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

    // The database as it was before the migration (remote_fields missing, remote_data still
    // jsonb), then the migrations since: RemoteFields, and RemoteDataJson, which turns remote_data into json.
    const runner = world.gw.ds.createQueryRunner();
    try {
      await new RemoteDataJson1795360000200().down(runner);
      for (const table of ['hris_employees', 'hris_employments']) await world.gw.ds.query(`ALTER TABLE ${table} DROP COLUMN remote_fields`);
      await new RemoteFields1795340000000().up(runner);
      await new RemoteDataJson1795360000200().up(runner);
    } finally {
      await runner.release();
    }
    const [stored] = await world.gw.ds.query(
      `SELECT pg_typeof(remote_data)::text AS type, pg_column_compression(remote_data) AS method,
              (SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) FROM pg_settings WHERE name = 'default_toast_compression') AS lz4
         FROM hris_employees WHERE integration_id = $1 LIMIT 1`,
      [integration.id],
    );
    expect(stored).toMatchObject({ type: 'json', method: stored.lz4 ? 'lz4' : 'pglz' }); // the rewrite keeps lz4 where the server has it
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

// Compressing a synced employee's JSON with pglz was most of what Postgres spent storing a page
// (migrations/1795360000001-UnifiedJsonLz4.ts); where the server has lz4, the unified tables use it.
describe('JSON compression of the unified tables', () => {
  const world = useSyncWorld({ employees: 10, seed: 8 });

  it('stores new JSON with lz4 where the server has it (pglz otherwise), and values of either kind stay readable', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb);
    const [{ lz4 }] = await world.gw.ds.query(
      `SELECT coalesce(bool_or('lz4' = ANY(enumvals)), false) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    const methods = async () =>
      (
        await world.gw.ds.query(
          `SELECT DISTINCT pg_column_compression(remote_data) AS m FROM hris_employees WHERE integration_id = $1 AND pg_column_compression(remote_data) IS NOT NULL`,
          [integration.id],
        )
      ).map((r: { m: string }) => r.m);
    // An employee's remote_data (several KB) is always compressed, so the method shows.
    expect(await methods()).toEqual([lz4 ? 'lz4' : 'pglz']);
    if (!lz4) return;

    // Values written before the migration (pglz) and after it (lz4) are read alike.
    const runner = world.gw.ds.createQueryRunner();
    const migration = new UnifiedJsonLz41795360000001();
    try {
      await migration.down(runner);
      world.sb.change(world.sb.employeeIds()[0], { position: 'Written with pglz' });
      const sync = world.gw.app.get(SyncService);
      expect((await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id)).status).toBe('SUCCEEDED');
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect((await methods()).sort()).toEqual(['lz4', 'pglz']);
    const positions = await world.gw.ds.query(
      `SELECT remote_data->'/company/employees'->'attributes'->'position'->>'value' AS p FROM hris_employees WHERE integration_id = $1`,
      [integration.id],
    );
    expect(positions.map((r: { p: string }) => r.p)).toContain('Written with pglz');
  });
});
