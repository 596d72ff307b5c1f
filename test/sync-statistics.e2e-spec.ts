import type { DataSource, QueryRunner } from 'typeorm';
import { loadSeenIds, markUnseenDeleted, SEEN_IDS_CHUNK, unseenDeletedSql } from '../src/records/deletions';
import { FIND_EMPLOYEE_SQL } from '../src/records/queries';
import { byIdSql, liveEmploymentsSql, STORED_BY_SOURCE_SQL, storedUnchangedQuery } from '../src/records/store';
import { SyncService } from '../src/sync/sync.service';
import { connectWithFirstSync, useSyncWorld } from './support/sync-world';
import { waitForRun } from './support/sync';

/** The nodes of a statement's plan: node type, table and index condition, one line each. */
async function scans(db: Pick<DataSource | QueryRunner, 'query'>, sql: string, params: unknown[]): Promise<string[]> {
  const [{ 'QUERY PLAN': plan }] = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const found: string[] = [];
  const walk = (n: { 'Node Type': string; 'Relation Name'?: string; 'Index Cond'?: string; Plans?: unknown[] }) => {
    found.push(`${n['Node Type']} ${n['Relation Name'] ?? ''} ${n['Index Cond'] ?? ''}`);
    (n.Plans ?? []).forEach((c) => walk(c as typeof n));
  };
  walk((typeof plan === 'string' ? JSON.parse(plan) : plan)[0].Plan);
  return found;
}

/** One index probe per id: the probe's condition is the id itself, not just the integration. */
async function expectProbes(ds: DataSource, column: string, sql: string, params: unknown[]): Promise<void> {
  const plan = (await scans(ds, sql, params)).join('\n');
  expect(plan).toMatch(new RegExp(`^(Bitmap )?Index Scan .*\\(${column} = (?!ANY)`, 'm'));
  expect(plan).not.toContain('Seq Scan');
}

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

  // A second company's first sync: the statistics (refreshed by the first company's run) know
  // only the first company, so the planner takes the second for a single row, and with
  // `integration_id = $1` it probed any index that leads with integration_id (seen: the
  // personal-email index), scanning the whole new company for each id: 10,000 employees took
  // 31 s instead of 6 s, growing with the square of the company.
  it("a second company's per-page lookups probe by id while the statistics know only the first", async () => {
    const ds = world.gw.ds;
    const [{ integration_id: first }] = await ds.query(`SELECT integration_id FROM hris_employees LIMIT 1`);
    await ds.query(`ANALYZE hris_employees; ANALYZE hris_employments`); // they describe the first company alone
    const second = 'second-company';
    await ds.query(
      `INSERT INTO integrations (id, environment_id, tool, end_user_organization_name, credentials)
         SELECT $2, environment_id, tool, 'Second company', credentials FROM integrations WHERE id = $1`,
      [first, second],
    );
    try {
      // The second company as big as the first, written after the ANALYZE, as its first sync writes it.
      for (let copy = 1; copy <= 3; copy++) {
        await ds.query(
          `INSERT INTO hris_employees (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, group_ids, remote_fields, personal_email, work_email)
             SELECT $2, id || '-' || $3::int, remote_id || '-' || $3::int, data, data_hash, remote_data, changed_at, group_ids, remote_fields, personal_email, work_email
               FROM hris_employees WHERE integration_id = $1`,
          [first, second, copy],
        );
        await ds.query(
          `INSERT INTO hris_employments (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, employee_id, remote_fields)
             SELECT $2, id || '-' || $3::int, remote_id || '-' || $3::int, data, data_hash, remote_data, changed_at, employee_id || '-' || $3::int, remote_fields
               FROM hris_employments WHERE integration_id = $1`,
          [first, second, copy],
        );
      }
      const employeeIds = (await ds.query(`SELECT id FROM hris_employees WHERE integration_id = $1 ORDER BY id DESC LIMIT 100`, [second])).map(
        (r: { id: string }) => r.id,
      );
      await expectProbes(ds, 'id', byIdSql('hris_employees', 't.id, t.data_hash'), [second, employeeIds]);
      await expectProbes(ds, 'employee_id', liveEmploymentsSql('$2', '$3'), [second, employeeIds, []]);
      await expectProbes(ds, 'id', STORED_BY_SOURCE_SQL, [second, employeeIds, employeeIds]);
      const unchanged = storedUnchangedQuery(second, [{ model: 'employees', ids: employeeIds, column: 'data_hash', values: employeeIds }]);
      await expectProbes(ds, 'id', unchanged.sql, unchanged.params);
      await expectProbes(ds, 'id', FIND_EMPLOYEE_SQL, [second, employeeIds[0]]); // a document upload's employee
      expect((await ds.query(byIdSql('hris_employees', 't.id'), [second, employeeIds])).length).toBe(100);
    } finally {
      await ds.query(`DELETE FROM integrations WHERE id = $1`, [second]);
    }
  });

  // What a first sync looks up per page (the stored rows of the page's ids, the live employments
  // of its employees) on tables that grew by a whole company and were never analyzed: by index,
  // one probe per id. As plain `id = ANY(...)` these were planned as scans of the whole table,
  // a cost that grew with every page (0.02 ms on the first, 11 ms on the hundredth at 10,000).
  it('the per-page lookups use the indexes on tables that were never analyzed', async () => {
    const ds = world.gw.ds;
    const [{ integration_id: iid }] = await ds.query(`SELECT integration_id FROM hris_employees LIMIT 1`);
    // Twenty times the company, as copies under new ids, then the statistics of a table never analyzed.
    await ds.query(`INSERT INTO hris_employees (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, group_ids, remote_fields)
      SELECT integration_id, id || '-' || g, remote_id || '-' || g, data, data_hash, remote_data, changed_at, group_ids, remote_fields
        FROM hris_employees, generate_series(1, 20) g`);
    await ds.query(`INSERT INTO hris_employments (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, employee_id, remote_fields)
      SELECT integration_id, id || '-' || g, remote_id || '-' || g, data, data_hash, remote_data, changed_at, employee_id || '-' || g, remote_fields
        FROM hris_employments, generate_series(1, 20) g`);
    const tables = ['hris_employees', 'hris_employments'];
    await ds.query(`DELETE FROM pg_statistic WHERE starelid = ANY($1::regclass[])`, [tables]);
    await ds.query(`UPDATE pg_class SET reltuples = -1 WHERE relname = ANY($1)`, [tables]);

    const ids = (await ds.query(`SELECT id, employee_id FROM hris_employments WHERE integration_id = $1 ORDER BY id DESC LIMIT 100`, [iid])) as Array<{
      id: string;
      employee_id: string;
    }>;
    const employeeIds = ids.map((r) => r.employee_id);
    await expectProbes(ds, 'id', byIdSql('hris_employees', 't.id, t.data_hash'), [iid, employeeIds]);
    await expectProbes(ds, 'employee_id', liveEmploymentsSql('$2', '$3'), [iid, employeeIds, []]);

    // And they find what is stored: each row once (an id given twice too), and the employments of those employees.
    expect(
      (await ds.query(byIdSql('hris_employees', 't.id'), [iid, [...employeeIds, employeeIds[0], 'no-such-id']])).map((r: { id: string }) => r.id).sort(),
    ).toEqual([...employeeIds].sort());
    expect(
      (await ds.query(liveEmploymentsSql('$2', '$3'), [iid, [...employeeIds, employeeIds[0]], ids.slice(1).map((r) => r.id)])).map((r: { id: string }) => r.id),
    ).toEqual([ids[0].id]);
  });

  // The end of a full sync marks what was not seen deleted. The seen ids reach Postgres a chunk
  // at a time (as one array, a company's ids were all built in memory at once), and every row of
  // the company probes them by index: the company here is the 21,000 employees of the test above.
  it('deletion marking takes the seen ids in chunks and marks exactly the unseen', async () => {
    const ds = world.gw.ds;
    const [{ integration_id: iid }] = await ds.query(`SELECT integration_id FROM hris_employees LIMIT 1`);
    const live = (
      (await ds.query(`SELECT remote_id FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [iid])) as Array<{ remote_id: string }>
    ).map((r) => r.remote_id);
    expect(live.length).toBeGreaterThan(2 * SEEN_IDS_CHUNK);
    const unseen = [live[0], live[Math.floor(live.length / 2)], live[live.length - 1]];
    const seen = new Set(live.filter((r) => !unseen.includes(r)));
    const qr = ds.createQueryRunner();
    await qr.startTransaction();
    try {
      const [[, result]] = await markUnseenDeleted(qr.manager, iid, [['employees', seen]], new Date());
      expect(result.counts.deleted).toBe(3);
      expect(result.changes.map((c) => c.remote_id).sort()).toEqual([...unseen].sort());
      expect((await qr.query(`SELECT to_regclass('pg_temp.seen_remote_ids') AS t`))[0].t).toBeNull(); // dropped again

      await loadSeenIds(qr.manager, [['employees', seen]]);
      const plan = await scans(qr, unseenDeletedSql('employees'), [iid, new Date(), 'employees']);
      // Each of the company's rows probes the seen ids by index, or they are hashed once: never scanned per row.
      expect(plan.join('\n')).toMatch(/Index (Only )?Scan seen_remote_ids|Hash Join/);
      expect(plan.join('\n')).not.toMatch(/Nested Loop[\s\S]*Seq Scan seen_remote_ids/);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    expect((await ds.query(`SELECT count(*)::int AS n FROM hris_employees WHERE integration_id = $1 AND remote_deleted_at IS NULL`, [iid]))[0].n).toBe(
      live.length,
    );
  });
});
