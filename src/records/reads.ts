// The read API's records: one page of a model as the unified tables hold it, filtered
// and shaped as Kombo serves it, with custom_fields and integration_fields mapped by the
// environment's field mapping. Cursors and envelopes stay with the caller (src/hris).
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { integrationFieldValues, loadReadFieldConfig, mapCustomFields, needsRemoteFields, ReadFieldConfig } from './field-mapping';
import { AnyListQuery, buildConditions, Params } from './list-filters';
import { CustomFieldModel, EMPLOYMENT_DATA_FIELDS, MODEL_TABLES, RecordModel } from './models';
import { employeesJsonSql, employeesSql, plainSql } from './read-sql';

type Row = Record<string, unknown> & { id: string; data: Record<string, unknown> | null };

export interface ReadScope {
  integrationId: string;
  environmentId: string;
  /** The integration's expose_remote_data setting. */
  exposeRemote: boolean;
}

/**
 * One page: `results` are objects, or with `asText` (employees only, when the SQL covers the
 * field mapping) each employee's finished JSON text. `more` says whether a next page exists.
 */
export type RecordPage = { more: boolean; lastId: string | null } & ({ text: false; results: Record<string, unknown>[] } | { text: true; results: string[] });

export async function readRecords(
  ds: DataSource,
  model: RecordModel,
  scope: ReadScope,
  q: AnyListQuery,
  after: string | null,
  pageSize: number,
  asText: boolean,
): Promise<RecordPage> {
  const fields =
    model === 'employees' || model === 'employments'
      ? await loadReadFieldConfig(ds, scope.environmentId, scope.integrationId)
      : { customFields: [], passthrough: [] };
  const p = new Params();
  const where = buildConditions(model, scope.integrationId, q, fields, p);
  if (!where) return { more: false, lastId: null, text: false, results: [] };
  if (after !== null) where.push(`t.id > ${p.add(after)}`);
  const { exposeRemote } = scope;
  const cfModel: CustomFieldModel = model === 'employments' ? 'hris_employments' : 'hris_employees';
  const loadFields = (model === 'employees' || model === 'employments') && needsRemoteFields(fields, cfModel);
  const text = asText && model === 'employees' && !fields.customFields.some((c) => c.model === 'hris_employments');
  const limit = p.add(pageSize + 1);
  const sql = text
    ? employeesJsonSql(where, limit, { loadFields, exposeRemote, customFields: fields.customFields.some((c) => c.model === 'hris_employees') })
    : model === 'employees'
      ? employeesSql(where, limit, loadFields, exposeRemote)
      : plainSql(model, where, limit, exposeRemote, loadFields);
  const rows = await readRows<Row>(ds, sql, p.values);
  const more = rows.length > pageSize;
  const page = more ? rows.slice(0, pageSize) : rows;
  const lastId = page.length ? page[page.length - 1].id : null;
  if (text) {
    // Without mapped fields on employees every row gets the same two (empty) values: spliced as constants.
    const mapped = fields.customFields.some((c) => c.model === 'hris_employees') || fields.passthrough.some((f) => f.model === 'hris_employees');
    const rows = page as unknown as EmployeeTextRow[];
    return { more, lastId, text, results: mapped ? rows.map((r) => spliceEmployee(r, fields)) : rows.map(spliceUnmapped) };
  }
  return { more, lastId, text: false, results: page.map((r) => format(model, r, fields, exposeRemote)) };
}

/**
 * A read's rows straight from the DataSource's pg pool: TypeORM's query path (a query runner and
 * entity manager per statement, query events) cost ~0.25 ms of CPU per 100-row page, more than
 * a third of the page's own (measured in docs/benchmarks.md), for nothing a read needs.
 */
async function readRows<T>(ds: DataSource, sql: string, values: unknown[]): Promise<T[]> {
  const pool = (ds.driver as unknown as { master?: Pool }).master;
  if (!pool) return ds.query(sql, values);
  return (await pool.query(sql, values)).rows as T[];
}

interface EmployeeTextRow {
  id: string;
  /** `{"id": …, …, "remote_data": …}`: the fields before custom_fields. */
  head: string;
  /** `{"employments": …, …, "work_location": …}`: the fields after integration_fields. */
  tail: string;
  custom_fields?: Record<string, unknown> | null;
  remote_fields?: Record<string, unknown> | null;
}

const spliceUnmapped = (r: EmployeeTextRow): string => `${r.head.slice(0, -1)},"custom_fields":{},"integration_fields":[],${r.tail.slice(1)}`;

/** One employee's JSON: the two Postgres-built parts around the mapped fields, in format()'s key order. */
function spliceEmployee(r: EmployeeTextRow, fields: ReadFieldConfig): string {
  const attrs = r.remote_fields ?? {};
  const custom = JSON.stringify(mapCustomFields(fields, 'hris_employees', r.custom_fields ?? undefined, attrs));
  const passthrough = JSON.stringify(integrationFieldValues(fields, 'hris_employees', attrs));
  return `${r.head.slice(0, -1)},"custom_fields":${custom},"integration_fields":${passthrough},${r.tail.slice(1)}`;
}

function pick(data: Record<string, unknown> | null, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = data?.[f] ?? null;
  return out;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

function format(model: RecordModel, r: Row, fields: ReadFieldConfig, exposeRemote: boolean): Record<string, unknown> {
  const base = { id: r.id, remote_id: r.remote_id, ...pick(r.data, MODEL_TABLES[model].fields) };
  const meta = {
    changed_at: iso(r.changed_at as Date),
    remote_deleted_at: iso(r.remote_deleted_at as Date | null),
    remote_data: exposeRemote ? (r.remote_data ?? null) : null,
  };
  const attrs = (r.remote_fields as Record<string, unknown> | null | undefined) ?? {};
  if (model === 'employments') {
    return {
      ...base,
      employee_id: r.employee_id,
      ...meta,
      custom_fields: mapCustomFields(fields, 'hris_employments', r.data?.custom_fields as Record<string, unknown>, attrs),
      integration_fields: integrationFieldValues(fields, 'hris_employments', attrs),
    };
  }
  if (model !== 'employees') return { ...base, ...meta };
  const groups = (r.groups as unknown[]) ?? [];
  const employments = ((r.employments as Array<Row & { employee_id: string }>) ?? []).map((e) => ({
    id: e.id,
    remote_id: e.remote_id,
    employee_id: e.employee_id,
    ...pick(e.data, EMPLOYMENT_DATA_FIELDS),
    changed_at: e.changed_at,
    remote_deleted_at: e.remote_deleted_at,
    remote_data: e.remote_data ?? null,
    custom_fields: mapCustomFields(fields, 'hris_employments', e.data?.custom_fields as Record<string, unknown>, {}),
    integration_fields: [],
  }));
  return {
    ...base,
    work_location_id: r.work_location_id ?? null,
    legal_entity_id: r.legal_entity_id ?? null,
    manager_id: r.manager_id ?? null,
    ...meta,
    custom_fields: mapCustomFields(fields, 'hris_employees', r.data?.custom_fields as Record<string, unknown>, attrs),
    integration_fields: integrationFieldValues(fields, 'hris_employees', attrs),
    employments,
    time_off_balances: [],
    manager: r.manager ?? null,
    groups,
    teams: groups,
    legal_entity: r.legal_entity ?? null,
    work_location: r.work_location ?? null,
  };
}
