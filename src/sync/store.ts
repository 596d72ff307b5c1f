// SQL for the unified tables, as the sync engine writes them. Every function runs
// inside the caller's transaction (one per page), so a page lands whole or not at all.
import type { EntityManager } from 'typeorm';
import { rowsOf } from '../database/rows';
import type { RecordChange } from '../webhooks/outbox';
import { changedFields, employeeGroupIds, employmentEmployeeId, MANAGER_VISIBLE_FIELDS, MODEL_TABLES, ModelTable, StoredRow, SyncedModel } from './records';

export interface ModelCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export const zeroCounts = (): ModelCounts => ({ created: 0, updated: 0, deleted: 0, unchanged: 0 });

export interface WriteResult {
  counts: ModelCounts;
  changes: RecordChange[];
  /** Ids whose change shows up nested inside employees (manager fields, group/legal entity/location data, employments). */
  nestedChangedIds: string[];
}

interface Existing {
  id: string;
  data_hash: string;
  deleted: boolean;
}

/** A record Postgres refused to store, left out of its page and reported with the run. */
export interface SkippedRecord {
  model: SyncedModel;
  id: string;
  remote_id: string;
  reason: string;
}
export type SkipSink = (s: SkippedRecord) => void;

/**
 * Errors that belong to one record's content rather than to the database or the run:
 * data exceptions (class 22: a value Postgres cannot hold) and program limits (class 54:
 * e.g. a value too long for its index).
 */
export function isUnstorableRecord(e: unknown): boolean {
  const err = e as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = err?.code ?? err?.driverError?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('54'));
}

/** Postgres's message names the column or index, not the value; capped for the run history. */
function unstorableReason(e: unknown): string {
  const err = e as { code?: string; message?: string; driverError?: { code?: string } };
  return `${(err.message ?? 'rejected by the database').slice(0, 300)} (SQLSTATE ${err.code ?? err.driverError?.code})`;
}

/** Rows as one jsonb array for jsonb_to_recordset(): the large parts were serialised once when the row was hashed, so they are spliced in. */
function recordsetOf(t: ModelTable, rows: StoredRow[]): string {
  return '[' + rows.map((r) => {
    const small: Record<string, unknown> = { id: r.id, remote_id: r.remote_id, data_hash: r.hash };
    t.columns.forEach((c, i) => (small[c] = r.columns[i]));
    return `${JSON.stringify(small).slice(0, -1)},"data":${r.json.data},"remote_data":${r.json.remote_data}}`;
  }).join(',') + ']';
}

/**
 * How many of these rows are stored live with the same hash, over several models in one
 * round trip: a page where that is all of them needs no transaction (page-writer.ts).
 */
export async function countStoredUnchanged(em: EntityManager, integrationId: string, parts: Array<{ model: SyncedModel; rows: StoredRow[] }>): Promise<number> {
  const params: unknown[] = [integrationId];
  const terms = parts.map(({ model, rows }) => {
    params.push(rows.map((r) => r.id), rows.map((r) => r.hash));
    const [ids, hashes] = [params.length - 1, params.length];
    return `(SELECT count(*) FROM unnest($${ids}::text[], $${hashes}::text[]) AS x(id, hash)
      JOIN ${MODEL_TABLES[model].table} t ON t.integration_id = $1 AND t.id = x.id AND t.data_hash = x.hash AND t.remote_deleted_at IS NULL)`;
  });
  const [row] = rowsOf<{ same: string }>(await em.query(`SELECT ${terms.join(' + ')} AS same`, params));
  return Number(row?.same ?? 0);
}

/**
 * Upserts one model's rows of a page: one query for the existing hashes, one for the
 * old content of changed rows (for changed_fields), one multi-row upsert of only the
 * rows whose hash differs or that come back from deletion. Unchanged rows are not written.
 * With `skip`, records are written one by one and those Postgres refuses are reported to it.
 */
export async function writeRows(em: EntityManager, integrationId: string, model: SyncedModel, rows: StoredRow[], now: Date, skip?: SkipSink): Promise<WriteResult> {
  const result: WriteResult = { counts: zeroCounts(), changes: [], nestedChangedIds: [] };
  if (rows.length === 0) return result;
  const t = MODEL_TABLES[model];
  const ids = rows.map((r) => r.id);
  const existing = new Map<string, Existing>();
  for (const e of rowsOf<Existing>(await em.query(
    `SELECT id, data_hash, remote_deleted_at IS NOT NULL AS deleted FROM ${t.table} WHERE integration_id = $1 AND id = ANY($2::text[])`,
    [integrationId, ids],
  ))) existing.set(e.id, e);

  const changed = rows.filter((r) => {
    const e = existing.get(r.id);
    if (!e) return true;
    if (e.data_hash !== r.hash || e.deleted) return true;
    result.counts.unchanged++;
    return false;
  });
  if (changed.length === 0) return result;

  // Old content only for rows that really changed: a no-change page never reads data.
  const updatedIds = changed.filter((r) => existing.has(r.id)).map((r) => r.id);
  const before = new Map<string, { data: Record<string, unknown>; remote_data: unknown; group_ids?: string[] }>();
  if (updatedIds.length) {
    const extra = model === 'employees' ? ', group_ids' : '';
    for (const b of rowsOf<{ id: string; data: Record<string, unknown>; remote_data: unknown; group_ids?: string[] }>(await em.query(
      `SELECT id, data, remote_data${extra} FROM ${t.table} WHERE integration_id = $1 AND id = ANY($2::text[])`,
      [integrationId, updatedIds],
    ))) before.set(b.id, b);
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
      `UPDATE ${t.table} AS t SET data_hash = x.hash FROM unnest($2::text[], $3::text[]) AS x(id, hash) WHERE t.integration_id = $1 AND t.id = x.id`,
      [integrationId, sameContent.map((r) => r.id), sameContent.map((r) => r.hash)],
    );
    result.counts.unchanged += sameContent.length;
  }

  let written = toWrite;
  if (!skip) {
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
      result.changes.push({ model, action: 'created', id: r.id, remote_id: r.remote_id, ...(model === 'employees' ? { memberships_changed: employeeGroupIds(r).length > 0 } : {}) });
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

/** One multi-row upsert. */
async function upsertRows(em: EntityManager, integrationId: string, t: ModelTable, rows: StoredRow[], now: Date): Promise<void> {
  const recordset = recordsetOf(t, rows);
  const colList = t.columns.join(', ');
  const colDefs = t.columns.map((c, i) => `${c} ${t.types[i]}`).join(', ');
  await em.query(
    `INSERT INTO ${t.table} AS t (integration_id, id, remote_id, data, data_hash, remote_data, changed_at, remote_deleted_at, ${colList})
     SELECT $1, x.id, x.remote_id, x.data, x.data_hash, x.remote_data, $3, NULL, ${t.columns.map((c) => `x.${c}`).join(', ')}
       FROM jsonb_to_recordset($2::jsonb) AS x(id text, remote_id text, data jsonb, data_hash text, remote_data jsonb, ${colDefs})
     ON CONFLICT (integration_id, id) DO UPDATE SET
       data = EXCLUDED.data, data_hash = EXCLUDED.data_hash, remote_data = EXCLUDED.remote_data, remote_id = EXCLUDED.remote_id,
       changed_at = EXCLUDED.changed_at, remote_deleted_at = NULL,
       ${t.columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
     WHERE t.data_hash IS DISTINCT FROM EXCLUDED.data_hash OR t.remote_deleted_at IS NOT NULL`,
    [integrationId, recordset, now],
  );
}

/** Whether this change shows in other employees' nested objects (Kombo's GET /hris/employees). */
function isNestedVisible(model: SyncedModel, fields: string[]): boolean {
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

/**
 * Records that stopped matching the integration's filters: stored rows take the content
 * just read (the change that made them stop matching, e.g. a termination) and are marked
 * deleted in the same statement, so readers with include_deleted and the nested `manager`
 * of reports never show a stale copy. Rows never stored are not created; a row already
 * deleted is refreshed quietly when its content changed (changed_at moves, no event).
 */
export async function markExcludedDeleted(em: EntityManager, integrationId: string, model: SyncedModel, rows: StoredRow[], now: Date): Promise<WriteResult> {
  const result: WriteResult = { counts: zeroCounts(), changes: [], nestedChangedIds: [] };
  if (rows.length === 0) return result;
  const t = MODEL_TABLES[model];
  const colDefs = t.columns.map((c, i) => `${c} ${t.types[i]}`).join(', ');
  const updated = rowsOf<{ id: string; remote_id: string; was_live: boolean; employee_id?: string }>(await em.query(
    `WITH x AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id text, remote_id text, data jsonb, data_hash text, remote_data jsonb, ${colDefs})),
          old AS (SELECT t.id, t.remote_deleted_at IS NULL AS was_live FROM ${t.table} t JOIN x ON x.id = t.id WHERE t.integration_id = $1)
     UPDATE ${t.table} AS t SET
       data = x.data, data_hash = x.data_hash, remote_data = x.remote_data, changed_at = $3,
       remote_deleted_at = COALESCE(t.remote_deleted_at, $3), ${t.columns.map((c) => `${c} = x.${c}`).join(', ')}
       FROM x JOIN old ON old.id = x.id
      WHERE t.integration_id = $1 AND t.id = x.id AND (t.remote_deleted_at IS NULL OR t.data_hash IS DISTINCT FROM x.data_hash)
      RETURNING t.id, t.remote_id, old.was_live${model === 'employments' ? ', t.employee_id' : ''}`,
    [integrationId, recordsetOf(t, rows), now],
  ));
  return deletedResult(model, updated.filter((r) => r.was_live));
}

/** Marks the given rows deleted as they are stored (the calendar pass has just written their re-derived content). */
export async function markDeletedByIds(em: EntityManager, integrationId: string, model: SyncedModel, ids: string[], now: Date): Promise<WriteResult> {
  const result: WriteResult = { counts: zeroCounts(), changes: [], nestedChangedIds: [] };
  if (ids.length === 0) return result;
  const t = MODEL_TABLES[model];
  const rows = rowsOf<{ id: string; remote_id: string; employee_id?: string }>(await em.query(
    `UPDATE ${t.table} SET remote_deleted_at = $3, changed_at = $3
      WHERE integration_id = $1 AND id = ANY($2::text[]) AND remote_deleted_at IS NULL
      RETURNING id, remote_id${model === 'employments' ? ', employee_id' : ''}`,
    [integrationId, ids, now],
  ));
  return deletedResult(model, rows);
}

/**
 * After a complete full read: every live row whose remote id was not seen is marked
 * deleted, in one statement. `= ANY(array)` is evaluated with a hash table for large
 * arrays (Postgres ≥ 14); an anti-join against unnest() was planned as a nested loop
 * (the planner guesses 100 elements) and took seconds at 10,000.
 */
export async function markUnseenDeleted(em: EntityManager, integrationId: string, model: SyncedModel, seenRemoteIds: Iterable<string>, now: Date): Promise<WriteResult> {
  const t = MODEL_TABLES[model];
  const rows = rowsOf<{ id: string; remote_id: string; employee_id?: string }>(await em.query(
    `UPDATE ${t.table} AS t SET remote_deleted_at = $3, changed_at = $3
      WHERE t.integration_id = $1 AND t.remote_deleted_at IS NULL
        AND NOT (t.remote_id = ANY($2::text[]))
      RETURNING t.id, t.remote_id${model === 'employments' ? ', t.employee_id' : ''}`,
    [integrationId, [...seenRemoteIds], now],
  ));
  return deletedResult(model, rows);
}

function deletedResult(model: SyncedModel, rows: { id: string; remote_id: string; employee_id?: string }[]): WriteResult {
  const counts = zeroCounts();
  counts.deleted = rows.length;
  return {
    counts,
    changes: rows.map((r) => ({ model, action: 'deleted' as const, id: r.id, remote_id: r.remote_id, ...(model === 'employees' ? { memberships_changed: true } : {}) })),
    nestedChangedIds: model === 'employee_document_categories' ? [] : rows.map((r) => (model === 'employments' ? r.employee_id! : r.id)),
  };
}

/**
 * Kombo's updated_after on employees also catches changes to what is nested in them:
 * their manager, groups, legal entity, work location and employments. One set-based
 * UPDATE per page moves changed_at of the employees that show a changed record.
 */
export async function propagateNested(
  em: EntityManager,
  integrationId: string,
  changed: { managers: string[]; groups: string[]; legalEntities: string[]; locations: string[]; employeesOfEmployments: string[] },
  now: Date,
): Promise<RecordChange[]> {
  const { managers, groups, legalEntities, locations, employeesOfEmployments } = changed;
  if (!managers.length && !groups.length && !legalEntities.length && !locations.length && !employeesOfEmployments.length) return [];
  const rows = rowsOf<{ id: string; remote_id: string; fields: string[] }>(await em.query(
    `UPDATE hris_employees AS e SET changed_at = $7
      WHERE e.integration_id = $1 AND e.remote_deleted_at IS NULL AND e.changed_at < $7
        AND (e.manager_id = ANY($2::text[]) OR e.group_ids && $3::text[] OR e.legal_entity_id = ANY($4::text[])
             OR e.work_location_id = ANY($5::text[]) OR e.id = ANY($6::text[]))
      RETURNING e.id, e.remote_id, array_remove(ARRAY[
        CASE WHEN e.manager_id = ANY($2::text[]) THEN 'manager' END,
        CASE WHEN e.group_ids && $3::text[] THEN 'groups' END,
        CASE WHEN e.legal_entity_id = ANY($4::text[]) THEN 'legal_entity' END,
        CASE WHEN e.work_location_id = ANY($5::text[]) THEN 'work_location' END,
        CASE WHEN e.id = ANY($6::text[]) THEN 'employments' END], NULL) AS fields`,
    [integrationId, managers, groups, legalEntities, locations, employeesOfEmployments, now],
  ));
  return rows.map((r) => ({ model: 'employees' as const, action: 'updated' as const, id: r.id, remote_id: r.remote_id, changed_fields: r.fields }));
}
