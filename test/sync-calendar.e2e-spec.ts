import request from 'supertest';
import { stableId } from '../src/common/ids';
import { SyncService } from '../src/sync/sync.service';
import { SyncWorker } from '../src/sync/sync.worker';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';
import { startWebhookReceiver } from './support/webhook-receiver';

type Raw = { attributes: Record<string, { value: unknown }> };

// Status must follow the calendar even when Personio does not touch the record: the simulator
// (as real Personio most likely does) flips a status when a date passes without moving
// last_modified_at, so a delta read does not return the person. The gateway re-derives the
// status itself, on the company's calendar day (+01:00 here), within the next delta run.
describe('status follows the calendar', () => {
  const world = useSyncWorld({ employees: 40, seed: 41, now: new Date('2026-03-02T09:30:00Z'), utcOffset: '+01:00' });
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    world.gw.app.get(SyncWorker).now = () => world.sb.now(); // the sync's clock is the simulator's
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await rx?.close();
  });

  const connect = async (filters: Record<string, unknown> = {}) => {
    return (await connectWithFirstSync(world.gw, world.sb, { filters })).id;
  };
  const row = async (iid: string, remoteId: number) =>
    (
      await world.gw.ds.query(
        `SELECT employment_status, remote_deleted_at, changed_at, remote_data FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`,
        [iid, String(remoteId)],
      )
    )[0];
  const recordEvents = async (iid: string, remoteId: number) =>
    (
      await world.gw.ds.query(
        `SELECT type, data FROM webhook_events WHERE integration_id = $1 AND type LIKE 'hris.employee.%' AND data->>'remote_id' = $2 ORDER BY created_at`,
        [iid, String(remoteId)],
      )
    ).map((r: { type: string; data: { changed_fields?: string[] } }) => ({ type: r.type, changed_fields: r.data.changed_fields }));
  const dataChanged = async (iid: string) =>
    (await world.gw.ds.query(`SELECT data FROM webhook_events WHERE integration_id = $1 AND type = 'data-changed' ORDER BY created_at`, [iid])).map(
      (r: { data: unknown }) => r.data,
    );

  it('a leaver turns INACTIVE and a new hire ACTIVE on the account-local day, in the next delta, with the usual events', async () => {
    await request(world.gw.url)
      .post('/v1/webhooks/endpoints')
      .set({ Authorization: `Bearer ${world.gw.apiKey}` })
      .send({ url: rx.url, record_events: true })
      .expect(201);
    const active = world.sb.employeeIds().filter((id) => {
      const a = (world.sb.employeeRaw(id) as Raw).attributes;
      return a.status.value === 'active' && a.termination_date.value === null && a.contract_end_date.value === null;
    });
    const [leaver, editor] = active;
    world.sb.terminate(leaver, '2026-03-02'); // employed through today (local), gone from tomorrow
    const hire = world.sb.hire({ first_name: 'Morgen', hire_date: '2026-03-03' });
    // Out of the later deltas' window (the Personio client starts it an hour early, UTC read as +01:00).
    world.sb.advanceClock(3 * 3600_000);
    const iid = await connect();
    const filtered = await connect({ employment_statuses: ['ACTIVE'] });
    expect(await row(iid, leaver)).toMatchObject({ employment_status: 'ACTIVE' });
    expect(await row(iid, hire.id)).toMatchObject({ employment_status: 'PENDING' });
    expect(await row(filtered, leaver)).toMatchObject({ employment_status: 'ACTIVE', remote_deleted_at: null });
    const before = await row(iid, leaver);
    const dataChangedBefore = (await dataChanged(iid)).length;

    // 23:10 UTC is 00:10 on 3 March at +01:00: the UTC day has not turned yet, the company's has.
    world.sb.setClock(new Date('2026-03-02T23:10:00Z'));
    world.sb.change(editor, { position: 'Edited upstream' }); // a real change, which the delta must still see
    const sync = world.gw.app.get(SyncService);
    const delta = await waitForRun(world.gw.ds, (await sync.requestSync(iid, { type: 'DELTA', trigger: 'MANUAL' })).sync_id);
    expect(delta).toMatchObject({ status: 'SUCCEEDED', type: 'DELTA', deleted: 0 });

    const after = await row(iid, leaver);
    expect(after.employment_status).toBe('INACTIVE');
    // Not re-read: its raw data still shows what Personio sent before (the calendar moved, the record did not).
    expect(after.remote_data['/company/employees'].attributes.status.value).toBe('active');
    expect(new Date(after.changed_at).getTime()).toBeGreaterThan(new Date(before.changed_at).getTime());
    expect(await row(iid, hire.id)).toMatchObject({ employment_status: 'ACTIVE' });
    expect((await row(iid, editor)).remote_data['/company/employees'].attributes.position.value).toBe('Edited upstream');
    expect(delta.counts.employees!.updated).toBe(3);
    expect(await recordEvents(iid, leaver)).toEqual([
      { type: 'hris.employee.created', changed_fields: undefined },
      { type: 'hris.employee.updated', changed_fields: ['employment_status'] },
    ]);
    const changed = await dataChanged(iid);
    expect(changed).toHaveLength(dataChangedBefore + 1);
    expect((changed.at(-1) as { changed_models: { name: string }[] }).changed_models.map((m) => m.name)).toContain('hris_employees');

    // With a status filter, the leaver leaves the store of the filtered integration; the hire joins at the next full read.
    await waitForRun(world.gw.ds, (await sync.requestSync(filtered, { type: 'DELTA', trigger: 'MANUAL' })).sync_id);
    expect((await row(filtered, leaver)).remote_deleted_at).not.toBeNull();

    // A later full read agrees with what the calendar pass derived: only Personio's raw status moved.
    const full = await waitForRun(world.gw.ds, (await sync.requestSync(iid, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(full.status).toBe('SUCCEEDED');
    expect((await row(iid, leaver)).employment_status).toBe('INACTIVE');
    expect((await recordEvents(iid, leaver)).slice(2)).toEqual([{ type: 'hris.employee.updated', changed_fields: ['remote_data'] }]);
    expect((await row(iid, hire.id)).employment_status).toBe('ACTIVE');
    expect(stableId(iid, 'employees', String(leaver))).toHaveLength(24);
  });
});
