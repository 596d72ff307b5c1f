import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { HrisConnector } from '../connectors/connector';
import type { UnifiedBatch } from '../connectors/unified';
import { ConnectorRegistry } from '../src/integrations/connector-registry';
import { PageMemos } from '../src/sync/page-memos';
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

    // The write path of the page writer starts by reading the stored hashes of the page's rows (all models in one statement).
    const queries = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const perModelReads = () =>
      queries.mock.calls.filter(([sql]) =>
        /SELECT s\.\* FROM \(SELECT DISTINCT unnest.*SELECT t\.id, t\.data_hash\b.*FROM hris_(employees|employments)\b/s.test(sql),
      ).length;
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

  // A full read remembers what Personio's connector derived from each page body (ids,
  // fingerprints) in sync_page_memos: a page that arrives byte for byte as before is not even
  // parsed. Only the memos the last complete full read used are kept; they go with the integration.
  it('full syncs keep one page memo per page read, take unchanged pages from it, and drop the memos of pages that changed', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb, { organization: 'Page memo' });
    const sync = world.gw.app.get(SyncService);
    const memos = async () =>
      (await world.gw.ds.query(`SELECT digest FROM sync_page_memos WHERE integration_id = $1`, [integration.id])).map((r: { digest: string }) => r.digest);
    const first = await memos();
    expect(first).toHaveLength(5); // 450 employees, 100 a page
    const recall = jest.spyOn(PageMemos.prototype, 'recall');
    const remember = jest.spyOn(PageMemos.prototype, 'remember');
    const run = async (type: 'FULL' | 'DELTA') => waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type, trigger: 'MANUAL' })).sync_id);

    expect(await run('FULL')).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect([recall.mock.calls.length, remember.mock.calls.length]).toEqual([5, 0]);
    expect((await memos()).sort()).toEqual([...first].sort());

    const [id] = world.sb.employeeIds().slice(-1);
    world.sb.change(id, { position: 'Memo' });
    recall.mockClear();
    remember.mockClear();
    const changed = await run('FULL');
    expect(changed.counts.employees).toMatchObject({ updated: 1, unchanged: 449 });
    expect([recall.mock.calls.length, remember.mock.calls.length]).toEqual([5, 1]);
    const after = await memos();
    expect(after).toHaveLength(5);
    expect(after.filter((d: string) => !first.includes(d))).toEqual([remember.mock.calls[0][0]]);

    // A delta's pages are new each time: it neither asks the memo nor adds to it.
    recall.mockClear();
    remember.mockClear();
    expect(await run('DELTA')).toMatchObject({ status: 'SUCCEEDED' });
    expect([recall.mock.calls.length, remember.mock.calls.length]).toEqual([0, 0]);
    recall.mockRestore();
    remember.mockRestore();

    // A full read that ends early keeps only the memos of the pages it reached: never more than one read's pages.
    const realRecall = PageMemos.prototype.recall;
    const reached: string[] = [];
    const failing = jest.spyOn(PageMemos.prototype, 'recall').mockImplementation(async function (this: PageMemos, digest: string) {
      // The first page has arrived and nothing else is in flight yet: every later page fails.
      if (reached.push(digest) === 1) world.sb.setFaults({ serverErrorRate: 1 });
      return realRecall.call(this, digest);
    });
    try {
      expect(await run('FULL')).toMatchObject({ status: 'FAILED', error_kind: 'UPSTREAM_UNAVAILABLE' });
      expect(await memos()).toEqual(reached);
      expect(reached).toHaveLength(1);
    } finally {
      world.sb.resetFaults();
      failing.mockRestore();
    }

    await world.gw.ds.query(`DELETE FROM integrations WHERE id = $1`, [integration.id]);
    expect(await memos()).toEqual([]);
  });

  // Personio fingerprints each employee's JSON as it arrives (UnifiedBatch.source_fingerprints):
  // a page whose people all arrive as stored is not even mapped, yet the run sees everything it
  // holds, so the deletion marking after the full read keeps every record.
  it('a full sync maps only the pages whose people changed, and keeps every record of the pages it did not map', async () => {
    const integration = await connectWithFirstSync(world.gw, world.sb, { organization: 'Fingerprints' });
    const sync = world.gw.app.get(SyncService);
    const live = async () =>
      (
        await world.gw.ds.query(
          `SELECT (SELECT count(*) FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL)::int AS employees,
                  (SELECT count(*) FROM hris_employments WHERE integration_id = $1 AND remote_deleted_at IS NULL)::int AS employments,
                  (SELECT count(*) FROM hris_groups WHERE integration_id = $1 AND remote_deleted_at IS NULL)::int AS groups,
                  (SELECT count(*) FROM hris_locations WHERE integration_id = $1 AND remote_deleted_at IS NULL)::int AS locations,
                  (SELECT count(*) FROM hris_legal_entities WHERE integration_id = $1 AND remote_deleted_at IS NULL)::int AS legal_entities`,
          [integration.id],
        )
      )[0];
    const before = await live();
    expect(before).toMatchObject({ employees: 450, employments: 450 });
    expect(before.groups).toBeGreaterThan(0);

    // Pages whose records the engine read (which is what makes a fingerprinted batch map them).
    const personio = world.gw.app.get(ConnectorRegistry).get('personio');
    const read = personio.read.bind(personio);
    let mappedPages = 0;
    const spy = jest.spyOn(personio, 'read').mockImplementation(async function* (...args: Parameters<HrisConnector<unknown>['read']>) {
      for await (const batch of read(...args))
        yield new Proxy(batch, {
          get: (b: UnifiedBatch, key: string | symbol) => {
            if (key === 'employees') mappedPages++;
            return Reflect.get(b, key);
          },
        });
    });
    const mapped = { clear: () => (mappedPages = 0) };
    const same = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(same).toMatchObject({ status: 'SUCCEEDED', created: 0, updated: 0, deleted: 0 });
    expect(mappedPages).toBe(0);
    expect(same.counts.employees!.unchanged).toBe(450);
    expect(same.counts.employments!.unchanged).toBe(450);
    // Named by many people, counted once each, as when pages are mapped.
    expect(same.counts.groups!.unchanged).toBe(before.groups);
    expect(await live()).toEqual(before);

    // One changed person: that page alone is mapped and written.
    const [id] = world.sb.employeeIds().slice(0, 1);
    world.sb.change(id, { position: 'Fingerprinted' }); // shows in no one else's JSON (a name would: supervisors are nested)
    mapped.clear();
    const one = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(one.counts.employees).toMatchObject({ updated: 1, unchanged: 449 });
    // The changed page, and the one prepared ahead while it was written (or the one after that).
    expect(mappedPages).toBeGreaterThanOrEqual(1);
    expect(mappedPages).toBeLessThanOrEqual(3);
    expect(mappedPages).toBeLessThan(one.pages);
    expect(await live()).toEqual(before);

    // New filters: every page is mapped again and what no longer matches leaves the store.
    await world.gw.ds.query(`UPDATE integrations SET filters = $2 WHERE id = $1`, [integration.id, JSON.stringify({ employment_statuses: ['ACTIVE'] })]);
    mapped.clear();
    const filtered = await waitForRun(world.gw.ds, (await sync.requestSync(integration.id, { type: 'FULL', trigger: 'MANUAL' })).sync_id);
    expect(filtered.status).toBe('SUCCEEDED');
    expect(mappedPages).toBe(filtered.pages);
    const [{ n: notActive }] = await world.gw.ds.query(
      `SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL AND employment_status IS DISTINCT FROM 'ACTIVE'`,
      [integration.id],
    );
    expect(notActive).toBe(0);
    expect(filtered.counts.employees!.deleted).toBe(before.employees - (await live()).employees);
    spy.mockRestore();
  });
});
