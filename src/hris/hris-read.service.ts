import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ok } from '../common/envelope';
import { GatewayError } from '../common/errors';
import {
  CustomFieldModel,
  integrationFieldValues,
  loadReadFieldConfig,
  mapCustomFields,
  needsRemoteData,
  ReadFieldConfig,
  remoteAttributes,
} from '../custom-fields/field-mapping';
import { IntegrationEntity } from '../integrations/integration.entity';
import { CursorScope, PAGE_CURSORS, PageCursors } from '../common/cursor';
import { AnyListQuery, buildConditions, Params } from './list-filters';
import { EMPLOYEE_DATA_FIELDS, EMPLOYMENT_DATA_FIELDS, HrisModel, iso, isoSql, MODELS, pick } from './models';

export interface Page<T> {
  next: string | null;
  results: T[];
}

type Row = Record<string, unknown> & { id: string; data: Record<string, unknown> | null };

/**
 * The unified read API, served from Postgres. Every page is one statement
 * (nested objects are built by subqueries over the page only), plus one
 * statement for the field mapping, whatever the page size.
 */
@Injectable()
export class HrisReadService {
  constructor(
    private readonly ds: DataSource,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {}

  /** Reads are refused until the first full sync has produced a complete data set. */
  assertReadable(integration: IntegrationEntity): void {
    if (integration.setupStatus === 'INCOMPLETE') {
      throw new GatewayError('INTEGRATION.SETUP_INCOMPLETE', `The setup of integration "${integration.id}" is not complete yet, so no data is available.`);
    }
    if (!integration.firstSyncCompletedAt) {
      throw new GatewayError('INTEGRATION.SETUP_SYNC_PENDING', `The first sync of integration "${integration.id}" has not finished yet. Retry once it has (the data-changed webhook tells you).`);
    }
  }

  async list(model: HrisModel, integration: IntegrationEntity, q: AnyListQuery): Promise<Page<Record<string, unknown>>> {
    return (await this.read(model, integration, q, false)) as Page<Record<string, unknown>>;
  }

  /**
   * Employees as the finished JSON text of the success envelope. Postgres builds each
   * employee's JSON (nested objects included) and it is spliced into the response
   * as text: parsing ~240 KB of JSON per page in Node and serialising it again cost
   * more than the query itself. Only custom_fields and integration_fields, which
   * depend on this environment's field mapping, are built here. Configurations the
   * SQL does not cover (custom fields on employments) take the object path.
   */
  async employeesJson(integration: IntegrationEntity, q: AnyListQuery): Promise<string> {
    const page = await this.read('employees', integration, q, true);
    if (!isRawPage(page)) return JSON.stringify(ok(page));
    return `{"status":"success","data":{"next":${JSON.stringify(page.next)},"results":[${page.results.join(',')}]}}`;
  }

  private async read(model: HrisModel, integration: IntegrationEntity, q: AnyListQuery, asText: boolean): Promise<Page<Record<string, unknown>> | RawPage> {
    this.assertReadable(integration);
    const scope: CursorScope = { list: model, owner: integration.id, filters: { ...q } };
    const after = q.cursor !== undefined ? this.cursors.decode(scope, q.cursor, 1)[0] : null;
    const pageSize = q.page_size ?? 100;
    const fields = model === 'employees' || model === 'employments'
      ? await loadReadFieldConfig(this.ds, integration.environmentId, integration.id)
      : { customFields: [], passthrough: [] };
    const p = new Params();
    const where = buildConditions(model, integration.id, q, fields, p);
    if (!where) return { next: null, results: [] };
    if (after !== null) where.push(`t.id > ${p.add(after)}`);
    const exposeRemote = integration.settings?.expose_remote_data === true;
    const cfModel: CustomFieldModel = model === 'employments' ? 'hris_employments' : 'hris_employees';
    const loadRemote = exposeRemote || ((model === 'employees' || model === 'employments') && needsRemoteData(fields, cfModel));
    const text = asText && model === 'employees' && !fields.customFields.some((c) => c.model === 'hris_employments');
    const limit = p.add(pageSize + 1);
    const sql = text
      ? employeesJsonSql(where, limit, { loadRemote, exposeRemote, customFields: fields.customFields.some((c) => c.model === 'hris_employees') })
      : model === 'employees'
        ? employeesSql(where, limit, loadRemote, exposeRemote)
        : plainSql(model, where, limit, loadRemote);
    const rows: Row[] = await this.ds.query(sql, p.values);
    const hasMore = rows.length > pageSize;
    const page = hasMore ? rows.slice(0, pageSize) : rows;
    const next = hasMore ? this.cursors.encode(scope, [page[page.length - 1].id]) : null;
    if (text) return { raw: true, next, results: page.map((r) => spliceEmployee(r as unknown as EmployeeTextRow, fields)) };
    return { next, results: page.map((r) => format(model, r, fields, exposeRemote)) };
  }
}

interface RawPage {
  raw: true;
  next: string | null;
  /** Each employee's JSON text. */
  results: string[];
}

const isRawPage = (p: Page<Record<string, unknown>> | RawPage): p is RawPage => 'raw' in p;

interface EmployeeTextRow {
  id: string;
  /** `{"id": …, …, "remote_data": …}`: the fields before custom_fields. */
  head: string;
  /** `{"employments": …, …, "work_location": …}`: the fields after integration_fields. */
  tail: string;
  custom_fields?: Record<string, unknown> | null;
  remote_data?: unknown;
}

/** One employee's JSON: the two Postgres-built parts around the mapped fields, in format()'s key order. */
function spliceEmployee(r: EmployeeTextRow, fields: ReadFieldConfig): string {
  let attrsCache: Record<string, unknown> | undefined;
  const attrs = () => (attrsCache ??= remoteAttributes(r.remote_data));
  const custom = JSON.stringify(mapCustomFields(fields, 'hris_employees', r.custom_fields ?? undefined, attrs));
  const passthrough = JSON.stringify(integrationFieldValues(fields, 'hris_employees', attrs));
  return `${r.head.slice(0, -1)},"custom_fields":${custom},"integration_fields":${passthrough},${r.tail.slice(1)}`;
}

function plainSql(model: HrisModel, where: string[], limit: string, loadRemote: boolean): string {
  const def = MODELS[model];
  const extra = model === 'employments' ? ', t.employee_id' : '';
  return `SELECT t.id, t.remote_id, t.data, t.changed_at, t.remote_deleted_at, ${loadRemote ? 't.remote_data' : 'NULL AS remote_data'}${extra}
            FROM ${def.table} t WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT ${limit}`;
}

/**
 * The CTEs both employee queries share: the page itself, and its groups and employments
 * gathered for the whole page at once (one join each) rather than by a subquery per
 * employee, which scanned the groups once per row. `employment` is the JSON object built
 * per employment (alias e).
 */
function employeePageCtes(where: string[], limit: string, loadRemote: boolean, employment: string): string {
  return `WITH page AS (
      SELECT t.integration_id, t.id, t.remote_id, t.data, t.changed_at, t.remote_deleted_at, ${loadRemote ? 't.remote_data' : 'NULL::jsonb AS remote_data'},
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

export function employeesSql(where: string[], limit: string, loadRemote: boolean, exposeRemote: boolean): string {
  const remote = (a: string) => (exposeRemote ? `${a}.remote_data` : 'NULL');
  const nested = nestedObjects(remote);
  const employment = `json_build_object('id', e.id, 'remote_id', e.remote_id, 'employee_id', e.employee_id, 'data', e.data,
              'changed_at', ${isoSql('e.changed_at')}, 'remote_deleted_at', ${isoSql('e.remote_deleted_at')}, 'remote_data', ${remote('e')})`;
  return `${employeePageCtes(where, limit, loadRemote, employment)}
    SELECT p.id, p.remote_id, p.data, p.changed_at, p.remote_deleted_at, p.remote_data, p.manager_id, p.legal_entity_id, p.work_location_id,
      ${nested.manager} AS manager,
      coalesce(pg.groups, '[]'::json) AS groups,
      ${nested.legalEntity} AS legal_entity,
      ${nested.workLocation} AS work_location,
      coalesce(pe.employments, '[]'::json) AS employments
    ${PAGE_JOINS}
    ORDER BY p.id`;
}

/**
 * The employee page with each employee's JSON built by Postgres, as text, in the shape and
 * key order of format(): json_build_object (not jsonb, which reorders keys) over the same
 * page, groups and employments as employeesSql.
 */
export function employeesJsonSql(where: string[], limit: string, opts: { loadRemote: boolean; exposeRemote: boolean; customFields: boolean }): string {
  const remote = (a: string) => (opts.exposeRemote ? `${a}.remote_data` : 'NULL::jsonb');
  const dataFields = (alias: string, fields: string[]) => fields.map((f) => `'${f}', ${alias}.data->'${f}'`).join(', ');
  const nested = nestedObjects(remote);
  const employment = `json_build_object('id', e.id, 'remote_id', e.remote_id, 'employee_id', e.employee_id, ${dataFields('e', EMPLOYMENT_DATA_FIELDS)},
              'changed_at', ${isoSql('e.changed_at')}, 'remote_deleted_at', ${isoSql('e.remote_deleted_at')}, 'remote_data', ${remote('e')},
              'custom_fields', '{}'::json, 'integration_fields', '[]'::json)`;
  return `${employeePageCtes(where, limit, opts.loadRemote, employment)}
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
      ${opts.customFields ? ", p.data->'custom_fields' AS custom_fields" : ''}${opts.loadRemote ? ', p.remote_data' : ''}
    ${PAGE_JOINS}
    ORDER BY p.id`;
}

export function format(model: HrisModel, r: Row, fields: ReadFieldConfig, exposeRemote: boolean): Record<string, unknown> {
  const base = { id: r.id, remote_id: r.remote_id, ...pick(r.data, MODELS[model].fields) };
  const meta = { changed_at: iso(r.changed_at as Date), remote_deleted_at: iso(r.remote_deleted_at as Date | null), remote_data: exposeRemote ? r.remote_data ?? null : null };
  let attrsCache: Record<string, unknown> | undefined;
  const attrs = () => (attrsCache ??= remoteAttributes(r.remote_data));
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
    custom_fields: mapCustomFields(fields, 'hris_employments', e.data?.custom_fields as Record<string, unknown>, () => ({})),
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
