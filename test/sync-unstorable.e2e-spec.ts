import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

// One bad HR record must not stop every sync: text Postgres cannot hold is cleaned, a record
// it still refuses is skipped and reported, and the rest of the run (deletions included) goes on.
describe('sync with records Postgres cannot store', () => {
  const world = useSyncWorld({ employees: 60, seed: 31 });

  const employee = async (integrationId: string, remoteId: number) =>
    (
      await world.gw.ds.query(`SELECT data, work_email, remote_deleted_at, remote_data FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [
        integrationId,
        String(remoteId),
      ])
    )[0];

  it('a full sync stores the rest, cleans the poisoned record, skips the unstorable ones, reports them and marks deletions', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb);
    const iid = integration.id;
    const [poisoned, unstorable, renamed, removed] = world.sb.employeeIds().slice(3, 7);
    const oldEmail = (await employee(iid, unstorable)).work_email;

    world.sb.change(poisoned, { first_name: 'Poison\u0000Name', last_name: 'Lone \uD800 surrogate', dynamic_990107: 'Note\u0000' });
    // Random text does not compress: too long for the e-mail index, which Postgres refuses with SQLSTATE 54000.
    const huge = `${randomBytes(7000).toString('base64url')}@nordlicht.example`;
    world.sb.change(unstorable, { email: huge });
    const hired = world.sb.hire({ first_name: 'Also', last_name: 'Unstorable', email: `x${huge}` });
    world.sb.change(renamed, { first_name: 'Renamed' });
    world.sb.remove(removed);

    const sync = world.gw.app.get(SyncService);
    const run = await waitForRun(world.gw.ds, (await sync.requestSync(iid, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(run).toMatchObject({ status: 'PARTIALLY_FAILED', error_kind: 'RECORDS_SKIPPED' });
    expect(run.error).toMatch(/^3 record\(s\) could not be stored/);
    const skipped = run.skipped.map((s) => `${s.model}:${s.remote_id}`).sort();
    expect(skipped).toEqual([`employees:${hired.id}`, `employees:${unstorable}`, `employments:employment:${hired.id}`].sort());
    expect(run.skipped.find((s) => s.remote_id === String(unstorable))!.reason).toMatch(/index row.*SQLSTATE 54000/);

    // The poisoned record is stored, cleaned (data and remote_data alike).
    const p = await employee(iid, poisoned);
    expect(p.data).toMatchObject({ first_name: 'PoisonName', last_name: 'Lone \uFFFD surrogate' });
    expect(p.remote_data['/company/employees'].attributes.first_name.value).toBe('PoisonName');
    // The rest of the page is stored; the deletion is marked; the skipped ones are not taken for gone.
    expect((await employee(iid, renamed)).data.first_name).toBe('Renamed');
    expect((await employee(iid, removed)).remote_deleted_at).not.toBeNull();
    expect(run.counts.employees!.deleted).toBe(1);
    const kept = await employee(iid, unstorable);
    expect(kept).toMatchObject({ remote_deleted_at: null, work_email: oldEmail });
    expect(await employee(iid, hired.id)).toBeUndefined();
    const [{ n: live }] = await world.gw.ds.query(`SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [
      iid,
    ]);
    expect(live).toBe(world.sb.employeeIds().length - 1); // everyone but the new hire that could not be stored

    // Reported where an operator and the LMS look: the run history and sync-finished.
    const api = await request(world.gw.url)
      .get(`/v1/integrations/${encodeURIComponent(iid)}/syncs/${run.id}`)
      .set({ Authorization: `Bearer ${world.gw.apiKey}` })
      .expect(200);
    expect(api.body.data).toMatchObject({
      status: 'PARTIALLY_FAILED',
      skipped_records: expect.arrayContaining([expect.objectContaining({ model: 'employees', remote_id: String(unstorable) })]),
    });
    const [finished] = await world.gw.ds.query(
      `SELECT data FROM webhook_events WHERE integration_id = $1 AND type = 'sync-finished' AND data->>'sync_id' = $2`,
      [iid, run.id],
    );
    expect(finished.data).toMatchObject({
      sync_state: 'PARTIALLY_FAILED',
      skipped_records: expect.arrayContaining([{ model: 'employees', remote_id: String(hired.id), reason: expect.any(String) }]),
    });

    // Once the HR records are fixed, the next run succeeds and stores them.
    world.sb.change(unstorable, { email: 'fixed@NORDLICHT.example' });
    world.sb.change(hired.id, { email: 'also.fixed@nordlicht.example' });
    const next = await waitForRun(world.gw.ds, (await sync.requestSync(iid, { type: 'DELTA', trigger: 'MANUAL' })).sync_id);
    expect(next).toMatchObject({ status: 'SUCCEEDED', skipped: [] });
    expect((await employee(iid, unstorable)).work_email).toBe('fixed@nordlicht.example');
    expect((await employee(iid, hired.id)).remote_deleted_at).toBeNull();
  });
});
