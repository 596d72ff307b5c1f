import type { RemoteData, UnifiedBatch } from '../connectors/unified';
import { createIntegrationWithFirstSync } from '../src/integrations/first-sync';
import { MODEL_TABLES, PAGE_MODELS } from '../src/records/models';
import { preparePage, writePage } from '../src/records/page';
import { groupRow, recordId } from '../src/records/rows';
import { copyInSupported, existingRows, isCopyConflict, writeRows } from '../src/records/store';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { ctxFor, expectConverged, fastConnector, waitFor, waitForRun } from './support/sync';

// How a page is written (src/records/page.ts writePage): the stored rows of all its models
// looked up in one statement; rows found nowhere inserted by COPY (store.ts copyNewRows),
// which must land exactly as the upsert stores them, and a row stored meanwhile by another
// transaction must cost nothing but a second try of the page with the upsert.
describe('sync: the page write path', () => {
  const world = useSyncWorld({ employees: 120, seed: 7 });
  const onPostgres = process.env.DATABASE_URL ? it : it.skip;

  const snapshot = async (iid: string) => {
    const out: Record<string, unknown[]> = {};
    for (const m of PAGE_MODELS) {
      out[m] = await world.gw.ds.query(
        `SELECT to_jsonb(t) - 'created_at' AS row, remote_data::text AS remote_data_text FROM ${MODEL_TABLES[m].table} t WHERE integration_id = $1 ORDER BY id`,
        [iid],
      );
    }
    return out;
  };

  it('stores what the upsert stores, column by column (text with tabs, newlines, backslashes and quotes, JSON null, arrays)', async () => {
    const [odd, other] = world.sb.employeeIds().slice(2, 4);
    world.sb.change(odd, { first_name: 'Tab\there\nnew\r\\ "quoted" \\n', last_name: '\\' });
    world.sb.change(other, { first_name: 'Zoë 日本 ☃' });
    const integration = await connectWithFirstSync(world.gw, world.sb);
    const iid = integration.id;
    const batches: UnifiedBatch[] = [];
    for await (const b of fastConnector().read(ctxFor(world.sb), {})) batches.push(b);
    const pages = batches.map((b) => preparePage(iid, {}, b));
    // A group as no connector sends it today: remote_data null, a name to escape.
    pages[0].rows.groups.push(
      groupRow(iid, { remote_id: 'odd-group', name: 'a\\b\t"c"\nd', type: 'TEAM', parent_remote_id: null, remote_data: null as unknown as RemoteData }),
    );
    const now = new Date('2026-11-30T05:00:00.123Z');
    const writeAll = async (copyNew: boolean) => {
      for (const m of PAGE_MODELS) await world.gw.ds.query(`DELETE FROM ${MODEL_TABLES[m].table} WHERE integration_id = $1`, [iid]);
      for (const page of pages) await world.gw.ds.transaction((em) => writePage(em, iid, page, now, undefined, copyNew));
      return snapshot(iid);
    };
    const copied = await writeAll(true);
    const upserted = await writeAll(false);
    expect(copied.employees).toHaveLength(120);
    expect(copied.groups.length).toBeGreaterThan(1);
    expect(copied).toEqual(upserted);
    const { row } = (copied.employees as Array<{ row: { remote_id: string; data: Record<string, unknown> } }>).find((r) => r.row.remote_id === String(odd))!;
    expect(row.data.first_name).toBe('Tab\there\nnew\r\\ "quoted" \\n');
    const group = (copied.groups as Array<{ row: Record<string, unknown>; remote_data_text: string | null }>).find((g) => g.row.remote_id === 'odd-group')!;
    expect(group).toMatchObject({ row: { name: 'a\\b\t"c"\nd', remote_data: null }, remote_data_text: null });
    // Embedded Postgres (PGlite) cannot take COPY FROM STDIN over its socket: there every row is upserted.
    expect(await copyInSupported(world.gw.ds.manager)).toBe(!!process.env.DATABASE_URL);
  });

  it('looks up the stored rows of several models in one statement, each once', async () => {
    const [{ integration_id: iid }] = await world.gw.ds.query(`SELECT integration_id FROM hris_employees LIMIT 1`);
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

  onPostgres('a row COPY takes for new but that was stored meanwhile fails the statement with a unique violation', async () => {
    const [{ integration_id: iid }] = await world.gw.ds.query(`SELECT integration_id FROM hris_employees LIMIT 1`);
    const batches: UnifiedBatch[] = [];
    for await (const b of fastConnector().read(ctxFor(world.sb), {})) batches.push(b);
    const rows = preparePage(iid, {}, batches[0]).rows.employees.slice(0, 2);
    const failure = await world.gw.ds
      .transaction((em) => writeRows(em, iid, 'employees', rows, new Date(), undefined, { existing: new Map(), copyNew: true }))
      .catch((e: unknown) => e);
    expect(isCopyConflict(failure)).toBe(true);
  });

  onPostgres('a row stored by another transaction while the page is written: the page is written again with the upsert, nothing lost', async () => {
    const { integration, syncId } = await createIntegrationWithFirstSync(world.gw.ds, world.gw.config, {
      environment: world.gw.environmentId,
      tool: 'personio',
      organization: 'Raced',
      baseUrl: world.sb.url,
      credentials: { clientId: world.sb.defaultCredential.clientId, clientSecret: world.sb.defaultCredential.clientSecret },
    });
    const iid = integration.id;
    const raced = String(world.sb.employeeIds()[0]);
    // Stored by someone else and not yet committed: the first sync's lookup cannot see it, its COPY waits for it.
    const other = world.gw.ds.createQueryRunner();
    await other.connect();
    try {
      await other.startTransaction();
      await other.query(
        `INSERT INTO hris_employees (integration_id, id, remote_id, data, data_hash, remote_data, changed_at) VALUES ($1, $2, $3, '{"first_name":"Stale"}', 'stale', NULL, now())`,
        [iid, recordId(iid, 'employees', raced), raced],
      );
      await waitFor(
        async () =>
          Number(
            (
              await world.gw.ds.query(
                `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'COPY hris_employees %'`,
              )
            )[0].n,
          ) > 0,
        20_000,
        'the first sync waiting on the uncommitted row',
      );
      await other.commitTransaction();
    } finally {
      await other.release();
    }
    const run = await waitForRun(world.gw.ds, syncId);
    expect(run).toMatchObject({ status: 'SUCCEEDED' });
    expect(run.counts.employees).toMatchObject({ created: world.sb.employeeIds().length - 1, updated: 1 });
    const [row] = await world.gw.ds.query(`SELECT data FROM hris_employees WHERE integration_id = $1 AND remote_id = $2`, [iid, raced]);
    expect(row.data.first_name).not.toBe('Stale');
    await expectConverged(world.gw.ds, world.sb, iid);
  });
});
