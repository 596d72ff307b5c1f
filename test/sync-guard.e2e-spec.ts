import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

// A failing upstream never deletes data: an HRIS that suddenly answers with no
// employees at all must not empty the store.
describe('sync deletion guard', () => {
  const world = useSyncWorld({ employees: 15, seed: 5 });

  const live = async (id: string) =>
    (await world.gw.ds.query(`SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [id]))[0].n as number;

  it('a full read with no employees while some are stored deletes nothing; a real shrink still deletes', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb);
    expect(await live(integration.id)).toBe(15);

    const everyone = world.sb.employeeIds();
    everyone.forEach((id) => world.sb.remove(id));
    const sync = world.gw.app.get(SyncService);
    const empty = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(empty.status).toBe('PARTIALLY_FAILED');
    expect(empty.error).toMatch(/returned no employees although 15 are stored/);
    expect(await live(integration.id)).toBe(15);

    world.sb.hire({ first_name: 'Only', last_name: 'One' });
    const shrink = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(shrink.status).toBe('SUCCEEDED');
    expect(await live(integration.id)).toBe(1);
  });
});
