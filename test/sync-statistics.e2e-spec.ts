import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

// Until autovacuum gets to a table that just grew by a whole company, the planner takes it
// for empty and plans reads of that company badly (a sort of the whole table per page). A run
// that wrote many rows refreshes the statistics of those tables itself.
describe('sync: table statistics after a large run', () => {
  const world = useSyncWorld({ employees: 1000, seed: 12 });

  it('a first sync of 1,000 employees analyzes the tables it filled; a run that changed nothing does not', async () => {
    const tables = ['hris_employees', 'hris_employments', 'hris_groups'];
    // Autovacuum would analyze these tables too, some time later: off, so only the sync can.
    for (const t of tables) await world.gw.ds.query(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
    const estimated = async () =>
      Object.fromEntries(
        (await world.gw.ds.query(`SELECT relname, reltuples::int AS n FROM pg_class WHERE relname = ANY($1)`, [tables])).map(
          (r: { relname: string; n: number }) => [r.relname, r.n],
        ),
      );
    expect(await estimated()).toEqual({ hris_employees: -1, hris_employments: -1, hris_groups: -1 }); // never analyzed

    const integration = await connectWithFirstSync(world.gw, world.sb);
    const after = await estimated();
    expect(after.hris_employees).toBe(1000);
    expect(after.hris_employments).toBe(1000);
    expect(after.hris_groups).toBe(-1); // far fewer than 1,000 groups written: left to autovacuum

    // A marker estimate: an ANALYZE by the next run would overwrite it.
    await world.gw.ds.query(`UPDATE pg_class SET reltuples = 7 WHERE relname = 'hris_employees'`);
    const same = await waitForRun(world.gw.ds, (await world.gw.app.get(SyncService).requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(same).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect((await estimated()).hris_employees).toBe(7); // not analyzed again
  });
});
