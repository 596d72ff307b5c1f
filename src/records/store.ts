// SQL for the unified tables, as the sync engine writes them. Every function runs
// inside the caller's transaction (one per page), so a page lands whole or not at all.
import type { EntityManager } from 'typeorm';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { rowsOf } from '../database/rows';
import { copyLine, copySql } from './copy';
import { emptyResult, RecordChange, WriteResult } from './changes';
import { MANAGER_VISIBLE_FIELDS, MODEL_TABLES, ModelTable, RecordModel, writtenColumns } from './models';
import { changedFields, employeeGroupIds, employmentEmployeeId, StoredRow } from './rows';

/** What a write needs to know of a stored row. */
export interface Existing {
  id: string;
  data_hash: string;
  deleted: boolean;
  /** Employees only (see sourceHashOf). */
  source_hash?: string | null;
}

/** A record Postgres refused to store, left out of its page and reported with the run. */
export interface SkippedRecord {
  model: RecordModel;
  id: string;
  remote_id: string;
  reason: string;
}
type SkipSink = (s: SkippedRecord) => void;

/**
 * Errors that belong to one record's content rather than to the database or the run:
 * data exceptions (class 22: a value Postgres cannot hold) and program limits (class 54:
 * e.g. a value too long for its index).
 */
export function isUnstorableRecord(e: unknown): boolean {
  const code = sqlState(e);
  return code !== null && (code.startsWith('22') || code.startsWith('54'));
}

/** The SQLSTATE of a Postgres error, as pg or TypeORM (QueryFailedError.driverError) carries it; null for anything else. */
function sqlState(e: unknown): string | null {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.code ?? err?.driverError?.code;
  return typeof code === 'string' ? code : null;
}

/** Postgres's message names the column or index, not the value; capped for the run history. */
function unstorableReason(e: unknown): string {
  const message = (e as { message?: string } | null)?.message;
  return `${(message ?? 'rejected by the database').slice(0, 300)} (SQLSTATE ${sqlState(e)})`;
}

/**
 * Rows as one JSON array for json_to_recordset(): the large parts were serialised once when the
 * row was hashed, so they are spliced in. Passed as json, not jsonb: only the columns stored as
 * jsonb are parsed into it, remote_data (json) is stored as the text it is.
 */
export function recordsetOf(t: ModelTable, rows: StoredRow[]): string {
  return (
    '[' +
    rows
      .map((r) => {
        const small: Record<string, unknown> = { id: r.id, remote_id: r.remote_id, data_hash: r.hash };
        for (const c of t.columns) small[c] = r.columns[c];
        const fields = t.remoteFields ? `,"remote_fields":${r.json.remote_fields ?? '{}'}` : '';
        return `${JSON.stringify(small).slice(0, -1)},"data":${r.json.data},"remote_data":${r.json.remote_data}${fields}}`;
      })
      .join(',') +
    ']'
  );
}

/**
 * One model's part of a page for countStoredUnchanged: the gateway ids and, per id, the
 * value a live stored row must show in `column` (the content hash, or the employee's
 * source hash); without `column`, being stored live is enough.
 */
export interface StoredCheck {
  model: RecordModel;
  ids: string[];
  column?: 'data_hash' | 'source_hash';
  values?: Array<string | null>;
}

/**
 * The integration ($1) as the per-id probes below compare it: `t.integration_id = ${INTEGRATION}`.
 * A sub-select is a value the planner only learns when the statement runs, so it estimates an
 * average integration's share of the table instead of looking the value up in the statistics.
 * Looked up, a company the statistics do not know yet (its first sync, after another company's
 * run refreshed them) counts as one row, every index that leads with integration_id looks as
 * cheap as the primary key, and the planner probed the personal-email index, scanning the whole
 * new company for each id: a second company of 10,000 employees took 31 s to sync instead of 6 s,
 * growing with the square of its size (test/sync-statistics.e2e-spec.ts).
 */
export const INTEGRATION = '(SELECT $1::text)';

/**
 * How many of these records are stored live (with the given hash), over several models in
 * one round trip: a page where that is all of them needs no transaction (page-writer.ts).
 */
export async function countStoredUnchanged(em: EntityManager, integrationId: string, parts: StoredCheck[]): Promise<number> {
  const { sql, params } = storedUnchangedQuery(integrationId, parts);
  const [row] = rowsOf<{ same: string }>(await em.query(sql, params));
  return Number(row?.same ?? 0);
}

/** countStoredUnchanged's statement (exported for its plan's spec). */
export function storedUnchangedQuery(integrationId: string, parts: StoredCheck[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [integrationId];
  const terms = parts.map(({ model, ids, column, values }) => {
    params.push(ids, column ? values : ids);
    const [idp, vp] = [params.length - 1, params.length];
    // One primary-key probe per row, whatever the statistics (see byIdSql).
    return `(SELECT count(*) FROM unnest($${idp}::text[], $${vp}::text[]) AS x(id, v)
      CROSS JOIN LATERAL (SELECT 1 FROM ${MODEL_TABLES[model].table} t
        WHERE t.integration_id = ${INTEGRATION} AND t.id = x.id AND ${column ? `t.${column} = x.v` : 'true'} AND t.remote_deleted_at IS NULL LIMIT 1) s)`;
  });
  // A live employment of these employees that the page no longer holds is a change too (see staleEmployments).
  const employees = parts.find((p) => p.model === 'employees');
  if (employees) {
    params.push(employees.ids, parts.find((p) => p.model === 'employments')?.ids ?? []);
    terms.push(`- (SELECT count(*) FROM (${liveEmploymentsSql(`$${params.length - 1}`, `$${params.length}`)}) s)`);
  }
  return { sql: `SELECT ${terms.join(' + ')} AS same`, params };
}

/**
 * Rows of one integration by gateway id: `columns` of `table` (alias t) for the ids in the
 * text[] parameter `ids` (each row once), integration id in $1. One primary-key probe per id, whatever the
 * statistics: a table filled moments before (a first sync, before its ANALYZE) is planned
 * as if nearly empty, and a plain `id = ANY(...)` then scanned every row of the integration
 * per page, growing with the company (0.02 ms on the first page, 11 ms on the hundredth,
 * at 10,000 employees). LIMIT 1 keeps the subquery from being flattened back into a join.
 */
export function byIdSql(table: string, columns: string, ids = '$2'): string {
  return `SELECT s.* FROM (SELECT DISTINCT unnest(${ids}::text[]) AS id) x
    CROSS JOIN LATERAL (SELECT ${columns} FROM ${table} t WHERE t.integration_id = ${INTEGRATION} AND t.id = x.id LIMIT 1) s`;
}

/** Stored rows of several models by gateway id, per model (each id once). */
export type ExistingRows = Map<RecordModel, Map<string, Existing>>;

/**
 * What writeRows looks up per model, for several models in one round trip (a page's five
 * models: one statement instead of five). Each model's part probes its primary key per id
 * (byIdSql); models without ids are left out, and with none at all nothing is asked.
 */
export async function existingRows(em: EntityManager, integrationId: string, parts: Array<{ model: RecordModel; ids: string[] }>): Promise<ExistingRows> {
  const found: ExistingRows = new Map(parts.map(({ model }) => [model, new Map<string, Existing>()]));
  const params: unknown[] = [integrationId];
  const terms: string[] = [];
  for (const { model, ids } of parts) {
    if (ids.length === 0) continue;
    params.push(ids);
    terms.push(`SELECT '${model}' AS model, q.* FROM (${byIdSql(MODEL_TABLES[model].table, existingColumns(model), `$${params.length}`)}) q`);
  }
  if (terms.length === 0) return found;
  for (const e of rowsOf<Existing & { model: RecordModel }>(await em.query(terms.join('\nUNION ALL\n'), params))) {
    const { model, ...row } = e;
    found.get(model)!.set(row.id, row);
  }
  return found;
}

/** The columns of Existing, for byIdSql (source_hash only where the table has it, NULL elsewhere so the models' rows line up). */
function existingColumns(model: RecordModel): string {
  const sourced = MODEL_TABLES[model].columns.includes('source_hash');
  return `t.id, t.data_hash, t.remote_deleted_at IS NOT NULL AS deleted, ${sourced ? 't.source_hash' : 'NULL::text AS source_hash'}`;
}

/** The ids of live employments of the employees in `employeeIds` (text[]) that are not in `keptIds` (text[]), by the employee index whatever the statistics (see byIdSql). */
export function liveEmploymentsSql(employeeIds: string, keptIds: string): string {
  return `SELECT e.id FROM (SELECT DISTINCT unnest(${employeeIds}::text[]) AS employee_id) x
    CROSS JOIN LATERAL (SELECT t.id FROM hris_employments t
      WHERE t.integration_id = ${INTEGRATION} AND t.employee_id = x.employee_id AND t.remote_deleted_at IS NULL OFFSET 0) e
   WHERE NOT (e.id = ANY(${keptIds}::text[]))`;
}

/** storedBySource's statement: $1 the integration, $2 the employees' ids, $3 their source hashes. */
export const STORED_BY_SOURCE_SQL = `WITH page AS MATERIALIZED (
         SELECT t.id, t.remote_id, t.group_ids, t.legal_entity_id, t.work_location_id
           FROM unnest($2::text[], $3::text[]) AS x(id, v)
           CROSS JOIN LATERAL (SELECT id, remote_id, group_ids, legal_entity_id, work_location_id FROM hris_employees t
             WHERE t.integration_id = ${INTEGRATION} AND t.id = x.id AND t.source_hash = x.v AND t.remote_deleted_at IS NULL LIMIT 1) t
       ), refs AS (
         SELECT 'groups' AS model, g AS id FROM page, unnest(page.group_ids) AS g
         UNION SELECT 'legal_entities', legal_entity_id FROM page WHERE legal_entity_id IS NOT NULL
         UNION SELECT 'locations', work_location_id FROM page WHERE work_location_id IS NOT NULL
       )
       SELECT 'employees' AS model, remote_id, true AS live FROM page
       UNION ALL
       SELECT 'employments', e.remote_id, true FROM page p
         CROSS JOIN LATERAL (SELECT remote_id FROM hris_employments e
           WHERE e.integration_id = ${INTEGRATION} AND e.employee_id = p.id AND e.remote_deleted_at IS NULL OFFSET 0) e
       UNION ALL
       SELECT r.model, d.remote_id, d.live FROM refs r LEFT JOIN LATERAL (
           SELECT remote_id, remote_deleted_at IS NULL AS live FROM hris_groups WHERE r.model = 'groups' AND integration_id = ${INTEGRATION} AND id = r.id
           UNION ALL
           SELECT remote_id, remote_deleted_at IS NULL FROM hris_legal_entities WHERE r.model = 'legal_entities' AND integration_id = ${INTEGRATION} AND id = r.id
           UNION ALL
           SELECT remote_id, remote_deleted_at IS NULL FROM hris_locations WHERE r.model = 'locations' AND integration_id = ${INTEGRATION} AND id = r.id
         ) d ON true`;

/**
 * What the store holds of a page's people, found by their source hashes (see
 * UnifiedBatch.source_fingerprints): the employees stored live with exactly that hash, their
 * live employments, and the groups, legal entities and locations they name (`live` false
 * when such a record is deleted or missing). Every lookup goes through an index, whatever
 * the statistics (see countStoredUnchanged).
 */
export async function storedBySource(
  em: EntityManager,
  integrationId: string,
  employeeIds: string[],
  sourceHashes: string[],
): Promise<Array<{ model: RecordModel; remote_id: string | null; live: boolean | null }>> {
  return rowsOf(await em.query(STORED_BY_SOURCE_SQL, [integrationId, employeeIds, sourceHashes]));
}

/**
 * Upserts one model's rows of a page: one query for the existing hashes, one for the
 * old content of changed rows (for changed_fields), one multi-row upsert of only the
 * rows whose hash differs or that come back from deletion. Unchanged rows are not written.
 * With `skip`, records are written one by one and those Postgres refuses are reported to it.
 */
export async function writeRows(
  em: EntityManager,
  integrationId: string,
  model: RecordModel,
  rows: StoredRow[],
  now: Date,
  skip?: SkipSink,
  opts: WriteOptions = {},
): Promise<WriteResult> {
  const result = emptyResult();
  if (rows.length === 0) return result;
  const t = MODEL_TABLES[model];
  const sourced = t.columns.includes('source_hash');
  const existing = opts.existing ?? (await existingRows(em, integrationId, [{ model, ids: rows.map((r) => r.id) }])).get(model) ?? new Map<string, Existing>();

  // Same content from another source fingerprint (first read by a new release, or after the
  // column was added): only the fingerprint is stored, so the next read can skip the page.
  const resourced: StoredRow[] = [];
  const changed = rows.filter((r) => {
    const e = existing.get(r.id);
    if (!e) return true;
    if (e.data_hash !== r.hash || e.deleted) return true;
    result.counts.unchanged++;
    if (sourced && e.source_hash !== r.columns.source_hash) resourced.push(r);
    return false;
  });
  if (resourced.length) {
    await em.query(
      `UPDATE ${t.table} AS t SET source_hash = x.source FROM unnest($2::text[], $3::text[]) AS x(id, source) WHERE t.integration_id = ${INTEGRATION} AND t.id = x.id`,
      [integrationId, resourced.map((r) => r.id), resourced.map((r) => r.columns.source_hash)],
    );
  }
  if (changed.length === 0) return result;

  // Old content only for rows that really changed: a no-change page never reads data.
  const updatedIds = changed.filter((r) => existing.has(r.id)).map((r) => r.id);
  const before = new Map<string, { data: Record<string, unknown>; remote_data: unknown; group_ids?: string[] }>();
  if (updatedIds.length) {
    const extra = model === 'employees' ? ', t.group_ids' : '';
    for (const b of rowsOf<{ id: string; data: Record<string, unknown>; remote_data: unknown; group_ids?: string[] }>(
      await em.query(byIdSql(t.table, `t.id, t.data, t.remote_data${extra}`), [integrationId, updatedIds]),
    ))
      before.set(b.id, b);
  }

  // A different hash over the same content (key order, or a row re-derived by the calendar
  // pass) is no change: only the hash is refreshed, changed_at stays and nothing is reported.
  const fieldsOf = new Map<string, string[]>();
  const sameContent: StoredRow[] = [];
  const toWrite = changed.filter((r) => {
    const e = existing.get(r.id);
    const old = before.get(r.id);
    if (!e || !old) return true;
    const fields = changedFields(old.data, r.data, old.remote_data, r.remote_data);
    fieldsOf.set(r.id, fields);
    if (e.deleted || fields.length > 0 || (model === 'employees' && (old.group_ids ?? []).join(',') !== employeeGroupIds(r).join(','))) return true;
    sameContent.push(r);
    return false;
  });
  if (sameContent.length) {
    await em.query(
      `UPDATE ${t.table} AS t SET data_hash = x.hash${sourced ? ', source_hash = x.source' : ''}
         FROM unnest($2::text[], $3::text[], $4::text[]) AS x(id, hash, source) WHERE t.integration_id = ${INTEGRATION} AND t.id = x.id`,
      [integrationId, sameContent.map((r) => r.id), sameContent.map((r) => r.hash), sameContent.map((r) => (r.columns.source_hash as string | null) ?? null)],
    );
    result.counts.unchanged += sameContent.length;
  }

  let written = toWrite;
  if (!skip && opts.copyNew) {
    // Rows the lookup found none of are inserted by COPY (a first sync: all of them), the others upserted.
    const fresh = toWrite.filter((r) => !existing.has(r.id));
    if (fresh.length < toWrite.length)
      await upsertRows(
        em,
        integrationId,
        t,
        toWrite.filter((r) => existing.has(r.id)),
        now,
      );
    if (fresh.length) await copyNewRows(em, integrationId, t, fresh, now);
  } else if (!skip) {
    if (toWrite.length) await upsertRows(em, integrationId, t, toWrite, now);
  } else {
    // Careful mode (a page Postgres refused): one savepoint per record, so only the bad ones are left out.
    written = [];
    for (const r of toWrite) {
      await em.query('SAVEPOINT record_write');
      try {
        await upsertRows(em, integrationId, t, [r], now);
        await em.query('RELEASE SAVEPOINT record_write');
        written.push(r);
      } catch (e) {
        if (!isUnstorableRecord(e)) throw e;
        await em.query('ROLLBACK TO SAVEPOINT record_write');
        skip({ model, id: r.id, remote_id: r.remote_id, reason: unstorableReason(e) });
      }
    }
  }

  for (const r of written) {
    const e = existing.get(r.id);
    if (!e) {
      result.counts.created++;
      result.changes.push({
        model,
        action: 'created',
        id: r.id,
        remote_id: r.remote_id,
        ...(model === 'employees' ? { memberships_changed: employeeGroupIds(r).length > 0 } : {}),
      });
      continue;
    }
    result.counts.updated++;
    const old = before.get(r.id);
    const fields = fieldsOf.get(r.id) ?? Object.keys(r.data);
    if (e.deleted) fields.push('remote_deleted_at');
    const change: RecordChange = { model, action: 'updated', id: r.id, remote_id: r.remote_id, changed_fields: fields };
    if (model === 'employees') {
      const groups = employeeGroupIds(r);
      change.memberships_changed = e.deleted || !old || (old.group_ids ?? []).join(',') !== groups.join(',');
      if (change.memberships_changed) change.changed_fields = [...fields, 'groups'];
    }
    result.changes.push(change);
    if (isNestedVisible(model, fields)) result.nestedChangedIds.push(model === 'employments' ? employmentEmployeeId(r) : r.id);
  }
  return result;
}

/** How writeRows writes. */
export interface WriteOptions {
  /** The stored rows of these ids, looked up by the caller (existingRows); else writeRows looks them up. */
  existing?: Map<string, Existing>;
  /**
   * Rows the lookup found nothing stored for are inserted by COPY instead of the upsert
   * (copyNewRows); only where copyInSupported says the server takes COPY FROM STDIN.
   */
  copyNew?: boolean;
}

/**
 * Inserts rows known to be new with COPY: Postgres parses each row's JSON once, where the
 * upsert's json_to_recordset parses the page's recordset text three times over (a first sync
 * at 10,000 employees: about half the employees' statement). A row stored meanwhile by
 * another transaction makes it fail with a unique violation (SQLSTATE 23505), which fails
 * the whole transaction: the caller writes the page again with the upsert (isCopyConflict,
 * src/sync/page-writer.ts), so nothing is lost and nothing is written twice.
 */
async function copyNewRows(em: EntityManager, integrationId: string, t: ModelTable, rows: StoredRow[], now: Date): Promise<void> {
  if (!em.queryRunner) throw new Error('copyNewRows runs inside a transaction');
  const client = (await em.queryRunner.connect()) as PoolClient;
  const changedAt = now.toISOString();
  const stream = client.query(copyFrom(copySql(t)));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    // Each line encoded on its own, then the bytes joined: joining the lines as strings first
    // (one ~1 MB string a page of Personio employees) cost 9 ms a page, this 2-4 ms.
    stream.end(Buffer.concat(rows.map((r) => Buffer.from(copyLine(t, integrationId, changedAt, r)))));
  });
}

/** A unique violation, such as copyNewRows meets when a row it takes for new was stored meanwhile. */
export function isCopyConflict(e: unknown): boolean {
  return sqlState(e) === '23505';
}

/**
 * Whether the server takes COPY FROM STDIN over the connection: Postgres does; PGlite behind
 * its socket (the embedded database, src/database/embedded.ts) does not (it drops the
 * connection). Asked once per data source.
 */
export function copyInSupported(em: EntityManager): Promise<boolean> {
  let known = copyInByDataSource.get(em.connection);
  if (!known) {
    known = em.query(`SELECT version() AS v`).then((r: unknown) => !/PGlite/i.test(rowsOf<{ v: string }>(r)[0]?.v ?? 'PGlite'));
    known.catch(() => copyInByDataSource.delete(em.connection));
    copyInByDataSource.set(em.connection, known);
  }
  return known;
}
const copyInByDataSource = new WeakMap<object, Promise<boolean>>();

/** One multi-row upsert. */
async function upsertRows(em: EntityManager, integrationId: string, t: ModelTable, rows: StoredRow[], now: Date): Promise<void> {
  const recordset = recordsetOf(t, rows);
  const cols = writtenColumns(t);
  const colList = cols.map((c) => c.name).join(', ');
  const colDefs = cols.map((c) => `${c.name} ${c.type}`).join(', ');
  await em.query(
    `INSERT INTO ${t.table} AS t (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, remote_deleted_at, ${colList})
     SELECT $1, x.id, x.remote_id, x.data, x.data_hash, x.remote_data, $3, NULL, ${cols.map((c) => `x.${c.name}`).join(', ')}
       FROM json_to_recordset($2::json) AS x(id text, remote_id text, data jsonb, data_hash text, remote_data json, ${colDefs})
     ON CONFLICT (integration_id, id) DO UPDATE SET
       data = EXCLUDED.data, data_hash = EXCLUDED.data_hash, remote_data = EXCLUDED.remote_data, remote_id = EXCLUDED.remote_id,
       changed_at = EXCLUDED.changed_at, remote_deleted_at = NULL,
       ${cols.map((c) => `${c.name} = EXCLUDED.${c.name}`).join(', ')}
     WHERE t.data_hash IS DISTINCT FROM EXCLUDED.data_hash OR t.remote_deleted_at IS NOT NULL`,
    [integrationId, recordset, now],
  );
}

/** Whether this change shows in other employees' nested objects (Kombo's GET /hris/employees). */
function isNestedVisible(model: RecordModel, fields: string[]): boolean {
  switch (model) {
    case 'employees':
      return fields.some((f) => MANAGER_VISIBLE_FIELDS.includes(f) || f === 'remote_deleted_at');
    case 'groups':
    case 'legal_entities':
    case 'locations':
    case 'employments':
      return fields.some((f) => f !== 'remote_data');
    default:
      return false;
  }
}

/** Rows a run must have written to a model's table before it refreshes the table's statistics (refreshStatistics). */
export const STATISTICS_REFRESH_ROWS = 1000;

/**
 * ANALYZE of the tables of these models. Until autovacuum gets to a table that just grew by a
 * company, the planner takes it for (nearly) empty: reads of the new integration sorted its
 * whole table per page (173 ms a page at 20,000 employees, 1.5 ms after ANALYZE). The sync
 * runs it after a run that wrote many rows (STATISTICS_REFRESH_ROWS), outside its transactions.
 */
export async function refreshStatistics(em: EntityManager, models: RecordModel[]): Promise<void> {
  if (models.length) await em.query(`ANALYZE ${models.map((m) => MODEL_TABLES[m].table).join(', ')}`);
}

/**
 * Live employments of these employees that are not among `keptIds`: a read that yields an
 * employee yields all of its employments (the connector contract), so the others are gone
 * upstream (a removed history row), even on a delta that marks nothing unseen.
 */
export async function staleEmployments(em: EntityManager, integrationId: string, employeeIds: string[], keptIds: string[]): Promise<string[]> {
  if (employeeIds.length === 0) return [];
  return rowsOf<{ id: string }>(await em.query(liveEmploymentsSql('$2', '$3'), [integrationId, employeeIds, keptIds])).map((r) => r.id);
}
