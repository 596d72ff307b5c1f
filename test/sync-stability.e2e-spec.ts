import request from 'supertest';
import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';
import { startWebhookReceiver } from './support/webhook-receiver';

type Raw = { attributes: Record<string, { value: unknown }> };
type CostCenter = { attributes: { id: number; percentage: number } };

// A company that does not change must not "change" from one sync to the next, whichever
// employees a sync happens to read: records derived from employees (groups, legal entities,
// locations) and employments hold only facts of their own.
describe('sync stability on an unchanged company', () => {
  const world = useSyncWorld({ employees: 150, seed: 23 });
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await rx?.close();
  });

  /**
   * Employees that every later delta reads again although nothing changes: a cost center's
   * later holder with another percentage than its first holder (the one a full read meets
   * first), so a group built from "whoever was read" would differ between full and delta.
   */
  function touchLaterHolders(): number[] {
    const first = new Map<number, number>();
    const touched: number[] = [];
    for (const id of world.sb.employeeIds()) {
      const raw = world.sb.employeeRaw(id) as Raw;
      for (const cc of (raw.attributes.cost_centers?.value ?? []) as CostCenter[]) {
        const p = first.get(cc.attributes.id);
        if (p === undefined) first.set(cc.attributes.id, cc.attributes.percentage);
        else if (p !== cc.attributes.percentage && !touched.includes(id)) touched.push(id);
      }
    }
    // Same value: last_modified_at moves (so deltas return them), the content does not.
    for (const id of touched) world.sb.change(id, { first_name: (world.sb.employeeRaw(id) as Raw).attributes.first_name.value });
    return touched;
  }

  it('four alternating full and delta syncs change nothing, send no record events and no data-changed', async () => {
    await request(world.gw.url)
      .post('/v1/webhooks/endpoints')
      .set({ Authorization: `Bearer ${world.gw.apiKey}` })
      .send({ url: rx.url, record_events: true })
      .expect(201);
    const touched = touchLaterHolders();
    expect(touched.length).toBeGreaterThan(0);
    const integration = await connectWithFirstSync(world.gw, world.sb);
    const eventCount = async () =>
      (
        await world.gw.ds.query(`SELECT count(*)::int AS n FROM webhook_events WHERE integration_id = $1 AND (type = 'data-changed' OR type LIKE 'hris.%')`, [
          integration.id,
        ])
      )[0].n as number;
    const changedAt = async () => {
      const out: Record<string, unknown> = {};
      for (const t of ['hris_employees', 'hris_employments', 'hris_groups', 'hris_legal_entities', 'hris_locations']) {
        out[t] = (await world.gw.ds.query(`SELECT max(changed_at) AS m, count(*)::int AS n FROM ${t} WHERE integration_id = $1`, [integration.id]))[0];
      }
      return out;
    };
    const eventsBefore = await eventCount();
    const before = await changedAt();

    const sync = world.gw.app.get(SyncService);
    for (const type of ['DELTA', 'FULL', 'DELTA', 'FULL'] as const) {
      const run = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type, trigger: 'MANUAL' })).sync_id);
      expect(run).toMatchObject({ status: 'SUCCEEDED', type, created: 0, updated: 0, deleted: 0 });
      // Not vacuous: each delta reads the touched employees (and with them their groups).
      if (type === 'DELTA') expect(run.counts.employees!.unchanged).toBeGreaterThanOrEqual(touched.length);
      for (const model of ['employees', 'employments', 'groups', 'legal_entities', 'locations'] as const) {
        expect({ model, ...run.counts[model], unchanged: 0 }).toEqual({ model, created: 0, updated: 0, deleted: 0, unchanged: 0 });
      }
      expect(run.counts.groups!.unchanged).toBeGreaterThan(0);
    }
    expect(await eventCount()).toBe(eventsBefore);
    expect(await changedAt()).toEqual(before);

    // The hash only detects change; the content decides. A stored hash that differs over the same
    // content (an older hash, another key order, a row the calendar pass wrote) is refreshed silently.
    // Rows from an older release also carry no source hash of this one, so their pages are mapped again.
    await world.gw.ds.query(`UPDATE hris_employees SET data_hash = 'stale', source_hash = NULL WHERE integration_id = $1`, [integration.id]);
    await world.gw.ds.query(`UPDATE hris_groups SET data_hash = 'stale' WHERE integration_id = $1`, [integration.id]);
    const full = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(full).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect(await eventCount()).toBe(eventsBefore);
    expect(await changedAt()).toEqual(before);
    const [{ n: stale }] = await world.gw.ds.query(`SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND data_hash = 'stale'`, [
      integration.id,
    ]);
    expect(stale).toBe(0);
    // …and they get this release's source hash back, so the next full sync skips their pages again.
    const [{ n: unsourced }] = await world.gw.ds.query(`SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND source_hash IS NULL`, [
      integration.id,
    ]);
    expect(unsourced).toBe(0);
  });
});
