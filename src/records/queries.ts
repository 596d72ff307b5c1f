// Small reads of the unified tables other modules need: counts, id lookups and the
// choices the integration filters offer. SQL on these tables lives in src/records only.
import type { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database/rows';
import { MODEL_TABLES } from './models';
import { INTEGRATION } from './store';

type Db = DataSource | EntityManager;

/** The live (not deleted) employees of an integration, as a scalar subquery over `integrationIdSql` (for overviews that list many integrations). */
export const liveEmployeeCountSql = (integrationIdSql: string) =>
  `(SELECT count(*)::int FROM hris_employees e WHERE e.integration_id = ${integrationIdSql} AND e.remote_deleted_at IS NULL)`;

export async function liveEmployeeCount(db: Db, integrationId: string): Promise<number> {
  const [row] = rowsOf<{ live: number }>(await db.query(`SELECT ${liveEmployeeCountSql('$1')} AS live`, [integrationId]));
  return row?.live ?? 0;
}

/** findEmployee's statement: $1 the integration, $2 the gateway id; a probe by id whatever the statistics know of this company (see INTEGRATION). */
export const FIND_EMPLOYEE_SQL = `SELECT remote_id, remote_deleted_at FROM hris_employees WHERE integration_id = ${INTEGRATION} AND id = $2`;

/** An employee by gateway id, deleted or not; null when the integration has none. */
export async function findEmployee(db: Db, integrationId: string, id: string): Promise<{ remote_id: string; remote_deleted_at: Date | null } | null> {
  const [row] = rowsOf<{ remote_id: string; remote_deleted_at: Date | null }>(await db.query(FIND_EMPLOYEE_SQL, [integrationId, id]));
  return row ?? null;
}

/** The remote id of a live document category, or null. */
export async function documentCategoryRemoteId(db: Db, integrationId: string, id: string): Promise<string | null> {
  const [row] = rowsOf<{ remote_id: string }>(
    await db.query(`SELECT remote_id FROM hris_document_categories WHERE integration_id = $1 AND id = $2 AND remote_deleted_at IS NULL`, [integrationId, id]),
  );
  return row?.remote_id ?? null;
}

/** The models integration filters name records of. */
export type FilterRecordModel = 'legal_entities' | 'locations' | 'groups';

/** What a filter can choose from: the live records of a model, by name (groups with their type). */
export async function filterChoices(db: Db, integrationId: string, model: FilterRecordModel): Promise<{ id: string; name: string; type?: string }[]> {
  const extra = model === 'groups' ? ', type' : '';
  return rowsOf<{ id: string; name: string; type?: string }>(
    await db.query(
      `SELECT remote_id AS id, COALESCE(name, remote_id) AS name${extra} FROM ${MODEL_TABLES[model].table}
      WHERE integration_id = $1 AND remote_deleted_at IS NULL ORDER BY name, remote_id LIMIT 1000`,
      [integrationId],
    ),
  );
}

/** Which of these remote ids name a live record of the model. */
export async function knownRemoteIds(db: Db, integrationId: string, model: FilterRecordModel, remoteIds: string[]): Promise<Set<string>> {
  return new Set(
    rowsOf<{ remote_id: string }>(
      await db.query(
        `SELECT remote_id FROM ${MODEL_TABLES[model].table} WHERE integration_id = $1 AND remote_id = ANY($2::text[]) AND remote_deleted_at IS NULL`,
        [integrationId, remoteIds],
      ),
    ).map((r) => r.remote_id),
  );
}

/** The flat fields (and raw payload) of the first 200 synced employees: the stand-in field list before the HRIS answered with its own. */
export async function sampleEmployeeFields(
  db: Db,
  integrationId: string,
): Promise<Array<{ remote_fields: Record<string, unknown>; remote_data: Record<string, unknown> | null }>> {
  return rowsOf<{ remote_fields: Record<string, unknown>; remote_data: Record<string, unknown> | null }>(
    await db.query(`SELECT remote_fields, remote_data FROM hris_employees WHERE integration_id = $1 ORDER BY id LIMIT 200`, [integrationId]),
  );
}
