import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

// A page whose rows are all stored with the same hash writes nothing, so one query checks
// it and only the run's progress is written (page-writer.ts skipUnchangedPage); a page with
// a change is written as before.
describe('sync: unchanged pages', () => {
  const world = useSyncWorld({ employees: 450, seed: 31 });

  it('a no-change full sync checks each page with one query and writes no model; a changed employee on a later run is still written', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb);
    const sync = world.gw.app.get(SyncService);

    // The per-model write path of the page writer starts by reading the stored hashes of the page's rows.
    const queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const perModelReads = () => queries.mock.calls.filter(([sql]) => /^SELECT id, data_hash\b.*FROM hris_(employees|employments)\b/s.test(sql)).length;
    const same = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(same).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0, unchanged: expect.any(Number) });
    expect(same.pages).toBeGreaterThanOrEqual(5);
    expect(same.counts.employees!.unchanged).toBe(450);
    // Without the check every page goes through it, model by model; with it only document categories do.
    expect(perModelReads()).toBe(0);
    queries.mockClear();

    const [id] = world.sb.employeeIds().slice(-1);
    world.sb.change(id, { first_name: 'Renamed' });
    const changed = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(changed).toMatchObject({ status: 'SUCCEEDED', created: 0, deleted: 0 });
    expect(changed.counts.employees).toMatchObject({ updated: 1, unchanged: 449 });
    const [row] = await world.gw.ds.query(`SELECT data->>'first_name' AS first_name FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [
      integration.id,
      String(id),
    ]);
    expect(row.first_name).toBe('Renamed');
    expect(changed.pages).toBe(same.pages);
    expect(perModelReads()).toBeGreaterThan(0); // the page with the change, at least
    queries.mockRestore();
  });
});
