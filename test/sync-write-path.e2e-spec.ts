import { existingRows } from '../src/records/store';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';

// How a page is written (src/records/page.ts writePage): the stored rows of all its models
// looked up in one statement.
describe('sync: the page write path', () => {
  const world = useSyncWorld({ employees: 120, seed: 7 });

  it('looks up the stored rows of several models in one statement, each once', async () => {
    const { id: iid } = await connectWithFirstSync(world.gw, world.sb);
    const employees = (await world.gw.ds.query(`SELECT id, data_hash, source_hash FROM hris_employees WHERE integration_id = $1 LIMIT 3`, [iid])) as Array<{
      id: string;
      data_hash: string;
      source_hash: string | null;
    }>;
    const [group] = (await world.gw.ds.query(`SELECT id, data_hash FROM hris_groups WHERE integration_id = $1 LIMIT 1`, [iid])) as Array<{
      id: string;
      data_hash: string;
    }>;
    await world.gw.ds.query(`UPDATE hris_groups SET remote_deleted_at = now() WHERE integration_id = $1 AND id = $2`, [iid, group.id]);
    const found = await existingRows(world.gw.ds.manager, iid, [
      { model: 'employees', ids: [...employees.map((e) => e.id), employees[0].id, 'no-such-id'] },
      { model: 'groups', ids: [group.id] },
      { model: 'locations', ids: [] },
    ]);
    expect([...found.keys()]).toEqual(['employees', 'groups', 'locations']);
    expect([...found.get('employees')!.values()].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      employees.map((e) => ({ ...e, deleted: false })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect([...found.get('groups')!.values()]).toEqual([{ ...group, deleted: true, source_hash: null }]);
    expect(found.get('locations')!.size).toBe(0);
    expect((await existingRows(world.gw.ds.manager, iid, [{ model: 'employees', ids: [] }])).get('employees')!.size).toBe(0);
  });
});
