// The read API's SQL over the unified tables. Every page is one statement: nested
// objects are built by subqueries over the page only, whatever the page size.
import { EMPLOYEE_DATA_FIELDS, EMPLOYMENT_DATA_FIELDS, MODEL_TABLES, RecordModel } from './models';

/** A timestamptz column as Kombo writes date-times (`2024-01-31T12:00:00.000Z`), inside SQL-built JSON. */
const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `loadRemote`: the rows' remote_data (exposed); `loadFields`: their remote_fields (the field mapping reads them). */
export function plainSql(model: RecordModel, where: string[], limit: string, loadRemote: boolean, loadFields: boolean): string {
  const def = MODEL_TABLES[model];
  const extra = model === 'employments' ? ', t.employee_id' : '';
  return `SELECT t.id, t.remote_id, t.data, t.changed_at, t.remote_deleted_at, ${loadRemote ? 't.remote_data' : 'NULL AS remote_data'}${loadFields ? ', t.remote_fields' : ''}${extra}
            FROM ${def.table} t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ${limit}`;
}

/**
 * The CTEs both employee queries share: the page itself, and its groups and employments
 * gathered for the whole page at once (one join each) rather than by a subquery per
 * employee, which scanned the groups once per row. `employment` is the JSON object built
 * per employment (alias e).
 */
function employeePageCtes(where: string[], limit: string, load: { remote: boolean; fields: boolean }, employment: string): string {
  return `WITH page AS (
      SELECT t.integration_id, t.id, t.remote_id, t.data, t.changed_at, t.remote_deleted_at, ${load.remote ? 't.remote_data' : 'NULL::json AS remote_data'},
             ${load.fields ? 't.remote_fields' : 'NULL::jsonb AS remote_fields'},
             t.manager_id, t.legal_entity_id, t.work_location_id, t.group_ids
        FROM hris_employees t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ${limit}),
    page_groups AS (
      SELECT m.employee_id, json_agg(json_build_object('id', g.id, 'remote_id', g.remote_id, 'name', g.name, 'type', g.type) ORDER BY g.id) AS groups
        FROM (SELECT p.id AS employee_id, p.integration_id, unnest(p.group_ids) AS group_id FROM page p) m
        JOIN hris_groups g ON g.integration_id = m.integration_id AND g.id = m.group_id
       WHERE g.remote_deleted_at IS NULL
       GROUP BY m.employee_id),
    page_employments AS (
      SELECT e.employee_id, json_agg(${employment} ORDER BY e.id) AS employments
        FROM hris_employments e
       WHERE e.integration_id = (SELECT integration_id FROM page LIMIT 1) AND e.employee_id IN (SELECT id FROM page) AND e.remote_deleted_at IS NULL
       GROUP BY e.employee_id)`;
}

const PAGE_JOINS = 'FROM page p LEFT JOIN page_groups pg ON pg.employee_id = p.id LEFT JOIN page_employments pe ON pe.employee_id = p.id';

/** The objects Kombo nests in an employee (p), as JSON built by Postgres. */
function nestedObjects(remote: (alias: string) => string): { manager: string; legalEntity: string; workLocation: string } {
  return {
    manager: `(SELECT json_build_object('id', m.id, 'remote_id', m.remote_id, 'first_name', m.data->'first_name', 'last_name', m.data->'last_name',
              'display_full_name', m.data->'display_full_name', 'employee_number', m.data->'employee_number', 'work_email', m.data->'work_email',
              'employment_status', m.data->'employment_status', 'termination_date', m.data->'termination_date')
         FROM hris_employees m WHERE m.integration_id = p.integration_id AND m.id = p.manager_id)`,
    legalEntity: `(SELECT json_build_object('id', l.id, 'remote_id', l.remote_id, 'name', l.name, 'address', l.data->'address')
         FROM hris_legal_entities l WHERE l.integration_id = p.integration_id AND l.id = p.legal_entity_id)`,
    workLocation: `(SELECT json_build_object('id', w.id, 'remote_id', w.remote_id, 'name', w.name, 'address', w.data->'address', 'type', w.data->'type',
              'changed_at', ${isoSql('w.changed_at')}, 'remote_deleted_at', ${isoSql('w.remote_deleted_at')}, 'remote_data', ${remote('w')})
         FROM hris_locations w WHERE w.integration_id = p.integration_id AND w.id = p.work_location_id)`,
  };
}

export function employeesSql(where: string[], limit: string, loadFields: boolean, exposeRemote: boolean): string {
  const remote = (a: string) => (exposeRemote ? `${a}.remote_data` : 'NULL');
  const nested = nestedObjects(remote);
  const employment = `json_build_object('id', e.id, 'remote_id', e.remote_id, 'employee_id', e.employee_id, 'data', e.data,
              'changed_at', ${isoSql('e.changed_at')}, 'remote_deleted_at', ${isoSql('e.remote_deleted_at')}, 'remote_data', ${remote('e')})`;
  return `${employeePageCtes(where, limit, { remote: exposeRemote, fields: loadFields }, employment)}
    SELECT p.id, p.remote_id, p.data, p.changed_at, p.remote_deleted_at, p.remote_data, p.remote_fields, p.manager_id, p.legal_entity_id, p.work_location_id,
      ${nested.manager} AS manager,
      coalesce(pg.groups, '[]'::json) AS groups,
      ${nested.legalEntity} AS legal_entity,
      ${nested.workLocation} AS work_location,
      coalesce(pe.employments, '[]'::json) AS employments
    ${PAGE_JOINS}
    ORDER BY p.id`;
}

/** employeesJsonSql's texts by their inputs. */
const employeesJsonTexts = new Map<string, string>();
const MAX_TEXTS = 1000;

/**
 * The employee page with each employee's JSON built by Postgres, as text, in the shape and
 * key order of format(): json_build_object (not jsonb, which reorders keys) over the same
 * page, groups and employments as employeesSql.
 * Kept by its inputs: a page's SQL is the same for every request with the same filters.
 */
export function employeesJsonSql(where: string[], limit: string, opts: { loadFields: boolean; exposeRemote: boolean; customFields: boolean }): string {
  const key = `${where.join('\n')}\n${limit}\n${+opts.loadFields}${+opts.exposeRemote}${+opts.customFields}`;
  let text = employeesJsonTexts.get(key);
  if (text === undefined) {
    if (employeesJsonTexts.size >= MAX_TEXTS) employeesJsonTexts.clear();
    employeesJsonTexts.set(key, (text = buildEmployeesJsonSql(where, limit, opts)));
  }
  return text;
}

function buildEmployeesJsonSql(where: string[], limit: string, opts: { loadFields: boolean; exposeRemote: boolean; customFields: boolean }): string {
  const remote = (a: string) => (opts.exposeRemote ? `${a}.remote_data` : 'NULL::json');
  const dataFields = (alias: string, fields: readonly string[]) => fields.map((f) => `'${f}', ${alias}.data->'${f}'`).join(', ');
  const nested = nestedObjects(remote);
  const employment = `json_build_object('id', e.id, 'remote_id', e.remote_id, 'employee_id', e.employee_id, ${dataFields('e', EMPLOYMENT_DATA_FIELDS)},
              'changed_at', ${isoSql('e.changed_at')}, 'remote_deleted_at', ${isoSql('e.remote_deleted_at')}, 'remote_data', ${remote('e')},
              'custom_fields', '{}'::json, 'integration_fields', '[]'::json)`;
  return `${employeePageCtes(where, limit, { remote: opts.exposeRemote, fields: opts.loadFields }, employment)}
    SELECT p.id,
      json_build_object('id', p.id, 'remote_id', p.remote_id, ${dataFields('p', EMPLOYEE_DATA_FIELDS)},
        'work_location_id', p.work_location_id, 'legal_entity_id', p.legal_entity_id, 'manager_id', p.manager_id,
        'changed_at', ${isoSql('p.changed_at')}, 'remote_deleted_at', ${isoSql('p.remote_deleted_at')}, 'remote_data', ${remote('p')})::text AS head,
      json_build_object(
        'employments', coalesce(pe.employments, '[]'::json),
        'time_off_balances', '[]'::json,
        'manager', ${nested.manager},
        'groups', coalesce(pg.groups, '[]'::json),
        'teams', coalesce(pg.groups, '[]'::json),
        'legal_entity', ${nested.legalEntity},
        'work_location', ${nested.workLocation})::text AS tail
      ${opts.customFields ? ", p.data->'custom_fields' AS custom_fields" : ''}${opts.loadFields ? ', p.remote_fields' : ''}
    ${PAGE_JOINS}
    ORDER BY p.id`;
}
