// BambooHR as an HrisConnector. Reads: the cursor list gives ids (and the
// current department/division/location/manager as ids), get-employee the full
// record per person (bounded by the shared rate limiter), the history tables
// the employments; /meta/lists the departments, divisions and locations. Deltas
// come from /employees/changed, deletions included. Each call builds a fresh
// BambooClient; the rate limit is shared per credential.
import {
  ConnectorError,
  type AttributeInfo,
  type ConnectorContext,
  type HrisConnector,
  type PassthroughRequest,
  type PassthroughResponse,
  type PeopleRead,
  type ReadOptions,
  type ToolInfo,
} from '../connector';
import { normalizeRelativePath } from '../http/paths';
import { RemoteIdSet } from '../remote-id-set';
import type { UnifiedBatch, UnifiedDocumentCategory, UnifiedGroupType } from '../unified';
import { text } from '../values';
import { changes, knownEmployeeIds } from './changes';
import { checkBamboo } from './check';
import { BambooClient, BAMBOOHR_API_ORIGIN, formatSince, type BambooClientOptions } from './client';
import { BAMBOOHR_CONNECT, BAMBOOHR_SETTINGS } from './connect-info';
import { bamboohrCredentials } from './credentials';
import { BAMBOOHR_UPLOAD_RATE, BAMBOOHR_UPLOAD_RULES, fileCategories, mapFileCategory, uploadFile, writeTrainingRecord } from './documents';
import { bamboohrFieldKind, fieldKey, LIST_FIELDS, planFields, type FieldPlan } from './fields';
import { DEFAULT_STATUS_RULES, mapBambooRecord, NO_TABLES, type EmployeeTables, type StatusRules } from './mapping';
import { OrgIndex } from './org';
import { bamboohrWebhooks } from './webhooks';
import type { BambooChangedResponse, BambooCredentials, BambooEmployee, BambooFieldMeta, BambooListField, BambooListResponse, BambooListRow, BambooTableName, BambooTableRow } from './types';

export const BAMBOOHR_PAGE_SIZE = 100;
/** Up to this many people, tables are read per person; above, once for everyone (`/employees/all/tables/…`). */
const PER_PERSON_TABLES_MAX = 25;
const TABLES: BambooTableName[] = ['jobInfo', 'employmentStatus', 'compensation'];
/** get-employee reads in flight per page (the limiter bounds the real concurrency and rate). */
const RECORD_CONCURRENCY = 4;
/** Employees whose file views are joined to list the file categories. */
const CATEGORY_PROBES = 5;

export interface BambooConnectorOptions {
  /** Client tuning (timeScale, limit, retry) — tests point these at the simulator's sped-up clock. */
  client?: Partial<Omit<BambooClientOptions, 'credentials' | 'logger' | 'signal' | 'baseUrl'>>;
  pageSize?: number;
  /** Restarts of the list allowed after BambooHR's `BadPage` (the boundary employee changed mid-read). */
  maxPasses?: number;
  /** Up to this many people, tables are read per person; above, once for all of them. */
  perPersonTablesMax?: number;
}

const EMPLOYEE_FIELDS = [
  'employee_number', 'first_name', 'last_name', 'display_full_name', 'nationality', 'job_title', 'work_email', 'personal_email', 'mobile_phone_number',
  'ssn', 'gender', 'ethnicity', 'marital_status', 'employment_status', 'employment_type', 'weekly_hours', 'avatar', 'date_of_birth', 'start_date',
  'termination_date', 'manager_id', 'work_location_id', 'groups', 'home_address', 'custom_fields', 'remote_data',
];

export const bamboohrTool: ToolInfo = {
  id: 'bamboohr',
  label: 'BambooHR',
  logoUrl: 'https://www.bamboohr.com/favicon.ico',
  coverage: {
    read: {
      employees: { read: true, fields: EMPLOYEE_FIELDS },
      employments: { read: true, fields: ['employee_id', 'job_title', 'pay_rate', 'pay_period', 'pay_frequency', 'employment_type', 'pay_currency', 'effective_date', 'remote_data'] },
      groups: { read: true, fields: ['name', 'type', 'remote_data'] },
      // BambooHR's public API has no legal entity (NOTES §13.5).
      legal_entities: { read: false, fields: [] },
      locations: { read: true, fields: ['name', 'remote_data'] },
      employee_document_categories: { read: true, fields: ['name', 'remote_data'] },
    },
    write: { employee_documents: true, trainings: true },
    passthrough: ['bamboohr/v1'],
  },
};

const list = (v: string | undefined, fallback: string[]) => (v === undefined || v.trim() === '' ? fallback : v.split(',').map((s) => s.trim()).filter(Boolean));

/** Bulk records through the custom report unless the `readStrategy` setting says `records`. */
const useReport = (ctx: ConnectorContext<BambooCredentials>) => ctx.settings.readStrategy?.trim().toLowerCase() !== 'records';

function rulesOf(ctx: ConnectorContext<BambooCredentials>): StatusRules {
  return { terminated: list(ctx.settings.terminatedStatuses, DEFAULT_STATUS_RULES.terminated), leave: list(ctx.settings.leaveStatuses, DEFAULT_STATUS_RULES.leave) };
}

const FORBIDDEN_HEADERS = new Set(['authorization', 'host', 'cookie', 'content-length', 'transfer-encoding', 'connection']);
const listRefused = (e: unknown) => e instanceof ConnectorError && (e.kind === 'AUTH_FAILED' || e.kind === 'PERMISSION_MISSING');
const isRefusal = (e: unknown) => e instanceof ConnectorError && (e.kind === 'PERMISSION_MISSING' || e.kind === 'NOT_FOUND');

/** Runs `fn` over items, `n` at a time; after one failure no new item starts (the call fails anyway). */
async function eachBounded<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const item = items[next++];
      await fn(item).catch((e: unknown) => {
        failed = true;
        throw e;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/** What every read needs first: which fields to request, and the company's lists. */
interface Setup {
  plan: FieldPlan;
  org: OrgIndex;
  /** Records come from the custom report until BambooHR refuses it once in this read. */
  bulk: { enabled: boolean };
}

export function createBamboohrConnector(options: BambooConnectorOptions = {}): HrisConnector<BambooCredentials> {
  const pageSize = options.pageSize ?? BAMBOOHR_PAGE_SIZE;
  const maxPasses = options.maxPasses ?? 3;
  const perPersonMax = options.perPersonTablesMax ?? PER_PERSON_TABLES_MAX;

  function client(ctx: ConnectorContext<BambooCredentials>): BambooClient {
    return new BambooClient({ ...options.client, credentials: ctx.credentials, baseUrl: ctx.baseUrl ?? ctx.settings.baseUrl, logger: ctx.logger, signal: ctx.signal, stats: ctx.stats });
  }

  async function setup(ctx: ConnectorContext<BambooCredentials>, c: BambooClient): Promise<Setup> {
    // Both are optional: without /meta/fields the standard fields are requested, without /meta/lists names stand in for ids.
    const fields = await c.get('/meta/fields', undefined, 'meta').catch((e: unknown) => (isRefusal(e) ? null : Promise.reject(e)));
    const lists = await c.get('/meta/lists', undefined, 'meta').catch((e: unknown) => (isRefusal(e) ? null : Promise.reject(e)));
    const plan = planFields(Array.isArray(fields) ? (fields as BambooFieldMeta[]) : null);
    if (plan.dropped.length) ctx.logger.warn({ tool: 'bamboohr', dropped: plan.dropped.length }, 'bamboohr: more custom fields than one request may name; some are not read');
    const divisionType = ctx.settings.divisionGroupType?.trim().toUpperCase() === 'DEPARTMENT' ? ('DEPARTMENT' as UnifiedGroupType) : null;
    return { plan, org: new OrgIndex(Array.isArray(lists) ? (lists as BambooListField[]) : null, { divisionType }), bulk: { enabled: useReport(ctx) } };
  }

  /**
   * get-employee with every planned field (onlyCurrent=false shows future hires and terminations);
   * null when BambooHR answers 404 (deleted), 'hidden' on 403: the key's user may not see this
   * person (BambooHR access levels can cover part of the company), which is no reason to fail the read.
   */
  async function getEmployee(c: BambooClient, id: string, plan: FieldPlan): Promise<BambooEmployee | null | 'hidden'> {
    const res = await c.request({ method: 'GET', path: `/employees/${encodeURIComponent(id)}`, params: { fields: plan.request.join(','), onlyCurrent: 'false' }, idempotent: true, endpoint: 'employees', throwOnStatus: false });
    if (res.status === 404) return null;
    if (res.status === 403) return 'hidden';
    if (res.status >= 400) throw c.statusError(res, 'employees');
    const body = res.data;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw c.fail('UPSTREAM_UNAVAILABLE', 'BambooHR returned an employee without data', 'employees', res.status);
    return { ...(body as BambooEmployee), id: text((body as BambooEmployee).id) ?? id };
  }

  /**
   * A page of people's records in one call: the custom report filtered by their ids (deprecated
   * by BambooHR in favour of Datasets, still served and widely used; NOTES §4.10). Values are
   * strings, hidden fields are left out as on get-employee. Null when BambooHR refuses it (gone,
   * not allowed): the reader then falls back to one get-employee per person.
   */
  async function customReport(ctx: ConnectorContext<BambooCredentials>, c: BambooClient, plan: FieldPlan, ids: string[]): Promise<Map<string, BambooEmployee> | null> {
    const data = { title: 'HRIS gateway sync', fields: plan.request, filters: { employeeIds: ids.map(Number) }, filterDuplicates: 'yes' };
    // Exactly `application/json`: with a charset BambooHR parses the body as XML (NOTES §12.9).
    const res = await c.request({ method: 'POST', path: '/reports/custom', params: { format: 'JSON', onlyCurrent: 'false' }, data: JSON.stringify(data), headers: { 'Content-Type': 'application/json' }, idempotent: true, endpoint: 'reports', throwOnStatus: false });
    const employees = (res.data as { employees?: unknown } | null)?.employees;
    if (res.status === 401) throw c.statusError(res, 'reports');
    if (res.status >= 400 || !Array.isArray(employees)) {
      ctx.logger.warn({ tool: 'bamboohr', status: res.status }, 'bamboohr: the custom report is not available; reading people one by one');
      return null;
    }
    const out = new Map<string, BambooEmployee>();
    for (const e of employees as BambooEmployee[]) {
      const id = text(e?.id);
      if (id !== null) out.set(id, { ...e, id });
    }
    return out;
  }

  /** Rows of one table for everyone (`all`), grouped by employee; null when the key may not read the table. */
  async function allRows(c: BambooClient, path: string, params?: Record<string, unknown>): Promise<Map<string, BambooTableRow[]> | null> {
    let body: unknown;
    try {
      body = await c.get(path, params, 'tables');
    } catch (e) {
      if (isRefusal(e)) return null;
      throw e;
    }
    const byEmployee = new Map<string, BambooTableRow[]>();
    const add = (r: BambooTableRow, fallbackId?: string) => {
      const id = text(r?.employeeId) ?? fallbackId ?? null;
      if (id === null) return;
      const rows = byEmployee.get(id) ?? [];
      rows.push(r);
      byEmployee.set(id, rows);
    };
    if (Array.isArray(body)) for (const r of body as BambooTableRow[]) add(r);
    else if (body && typeof body === 'object') {
      // /employees/changed/tables/{table}: {table, employees: {<id>: {rows: [...]}}}
      const emps = (body as { employees?: Record<string, { rows?: BambooTableRow[] }> }).employees ?? {};
      for (const [id, e] of Object.entries(emps)) {
        byEmployee.set(id, byEmployee.get(id) ?? []);
        for (const r of Array.isArray(e?.rows) ? e.rows : []) add(r, id);
      }
    }
    return byEmployee;
  }

  type TableSource = (id: string) => Promise<EmployeeTables>;

  /** Tables for a known set of people: per person when few, else once for everyone. */
  async function tablesFor(c: BambooClient, ids: string[]): Promise<TableSource> {
    if (ids.length > perPersonMax) return tablesOfAll(c);
    const readable = new Map<BambooTableName, boolean>();
    return async (id) => {
      const out: EmployeeTables = { ...NO_TABLES };
      for (const t of TABLES) {
        if (readable.get(t) === false) continue;
        try {
          const rows = await c.get(`/employees/${encodeURIComponent(id)}/tables/${t}`, undefined, 'tables');
          out[t] = Array.isArray(rows) ? (rows as BambooTableRow[]) : [];
          readable.set(t, true);
        } catch (e) {
          if (!(e instanceof ConnectorError && e.kind === 'PERMISSION_MISSING') && !(e instanceof ConnectorError && e.kind === 'NOT_FOUND')) throw e;
          if (e.kind === 'PERMISSION_MISSING') readable.set(t, false);
        }
      }
      return out;
    };
  }

  async function tablesOfAll(c: BambooClient): Promise<TableSource> {
    const maps = new Map<BambooTableName, Map<string, BambooTableRow[]> | null>();
    for (const t of TABLES) maps.set(t, await allRows(c, `/employees/all/tables/${t}`));
    const perPerson = await tablesFor(c, []);
    return async (id) => {
      // In no table read for everyone: hired after the tables were read (the list is read after them), so
      // their own rows are read; "no rows" here would map them without their history until the next change.
      if ([...maps.values()].every((m) => m === null || !m.has(id)) && [...maps.values()].some((m) => m !== null)) return perPerson(id);
      const pick = (t: BambooTableName) => {
        const m = maps.get(t);
        return m ? (m.get(id) ?? []) : null;
      };
      return { jobInfo: pick('jobInfo'), employmentStatus: pick('employmentStatus'), compensation: pick('compensation') };
    };
  }

  /** Cursor-list rows for these ids (the relation ids get-employee lacks); missing rows are tolerated. */
  async function listRowsFor(c: BambooClient, ids: string[]): Promise<Map<string, BambooListRow>> {
    const rows = new Map<string, BambooListRow>();
    for (let i = 0; i < ids.length; i += pageSize) {
      const chunk = ids.slice(i, i + pageSize);
      let page: BambooListResponse | null;
      try {
        page = (await c.get('/employees', { 'filter[ids]': chunk.join(','), 'page[limit]': chunk.length, fields: LIST_FIELDS.join(',') }, 'employees')) as BambooListResponse | null;
      } catch (e) {
        // The list may be OAuth-only for API keys (UNVERIFIED): names then stand in for the relation ids.
        if (listRefused(e)) return rows;
        throw e;
      }
      for (const r of Array.isArray(page?.data) ? page.data : []) {
        const id = text(r?.employeeId);
        if (id !== null) rows.set(id, r);
      }
    }
    return rows;
  }

  interface Emitted { groups: Set<string>; locations: Set<string> }

  /** Reads and maps these people; ids BambooHR no longer knows go to `gone`. */
  async function readBatch(ctx: ConnectorContext<BambooCredentials>, c: BambooClient, s: Setup, ids: string[], rows: Map<string, BambooListRow>, tables: TableSource, emitted: Emitted, gone: string[]): Promise<UnifiedBatch> {
    const found = new Map<string, { raw: BambooEmployee; tables: EmployeeTables }>();
    // One report request for the page instead of one request per person (memory stays one page). Even for
    // one person: get-employee answers the same record in another shape (booleans, fields left out), and a
    // delta of one person must store what the next full read will read, or every full read rewrites them.
    const report = s.bulk.enabled && ids.length > 0 ? await customReport(ctx, c, s.plan, ids) : null;
    if (report === null && ids.length > 0) s.bulk.enabled = false;
    let hidden = 0;
    await eachBounded(ids, RECORD_CONCURRENCY, async (id) => {
      // Someone the report does not hold (hidden, deleted, or no report) is read by themselves: 403/404 say which.
      const raw = report?.get(id) ?? (await getEmployee(c, id, s.plan));
      if (raw === null) gone.push(id);
      else if (raw === 'hidden') hidden++;
      else found.set(id, { raw, tables: await tables(id) });
    });
    if (hidden) ctx.logger.warn({ tool: 'bamboohr', hidden }, 'bamboohr: the key may not see some employees; they are left out');
    const batch: UnifiedBatch = { employees: [], employments: [], groups: [], legal_entities: [], locations: [] };
    const now = ctx.now();
    const rules = rulesOf(ctx);
    for (const id of ids) {
      const f = found.get(id);
      if (!f) continue;
      const m = mapBambooRecord(f.raw, rows.get(id), f.tables, { now, org: s.org, rules, customTypes: s.plan.customTypes });
      batch.employees.push(m.employee);
      batch.employments.push(...m.employments);
      for (const g of m.groups) {
        if (emitted.groups.has(g.remote_id)) continue;
        emitted.groups.add(g.remote_id);
        batch.groups.push(g);
      }
      if (m.location && !emitted.locations.has(m.location.remote_id)) {
        emitted.locations.add(m.location.remote_id);
        batch.locations.push(m.location);
      }
    }
    return batch;
  }

  /** The org records every full read carries (active list options), in its first batch. */
  function orgRecords(s: Setup, emitted: Emitted): UnifiedBatch {
    const { groups, locations } = s.org.activeRecords();
    groups.forEach((g) => emitted.groups.add(g.remote_id));
    locations.forEach((l) => emitted.locations.add(l.remote_id));
    return { employees: [], employments: [], groups, legal_entities: [], locations };
  }

  const merge = (a: UnifiedBatch, b: UnifiedBatch): UnifiedBatch => ({
    employees: [...a.employees, ...b.employees], employments: [...a.employments, ...b.employments], groups: [...a.groups, ...b.groups], legal_entities: [], locations: [...a.locations, ...b.locations],
  });

  /** Ids of employees BambooHR reports deleted since `since` (null when the key may not ask). */
  async function deletedSince(c: BambooClient, since: Date): Promise<string[] | null> {
    try {
      const body = (await c.get('/employees/changed', { since: formatSince(since), type: 'deleted' }, 'changes')) as BambooChangedResponse | null;
      return changes(body).filter((x) => x.action === 'deleted').map((x) => x.id);
    } catch (e) {
      if (isRefusal(e)) return null;
      throw e;
    }
  }

  async function* fullRead(ctx: ConnectorContext<BambooCredentials>, c: BambooClient, s: Setup, opts: ReadOptions): AsyncGenerator<UnifiedBatch> {
    const startedAt = ctx.now();
    const tables = await tablesOfAll(c);
    const emitted: Emitted = { groups: new Set(), locations: new Set() };
    let pending: UnifiedBatch | null = orgRecords(s, emitted);
    const yielded = new RemoteIdSet();
    const employmentsOf = new Map<string, string[]>();
    const gone: string[] = [];
    /** Reads and maps one page of people; the first page also carries the org records. */
    const readPage = async (ids: string[], rows: Map<string, BambooListRow>): Promise<UnifiedBatch | null> => {
      const batch = await readBatch(ctx, c, s, ids, rows, tables, emitted, gone);
      for (const e of batch.employees) yielded.add(e.remote_id);
      if (opts.onVanished) for (const e of batch.employments) employmentsOf.set(e.employee_remote_id, [...(employmentsOf.get(e.employee_remote_id) ?? []), e.remote_id]);
      const out: UnifiedBatch = pending ? merge(pending, batch) : batch;
      pending = null;
      return out.employees.length || out.groups.length || out.locations.length ? out : null;
    };
    async function* readListed(ids: string[]): AsyncGenerator<UnifiedBatch> {
      for (let i = 0; i < ids.length; i += pageSize) {
        const out = await readPage(ids.slice(i, i + pageSize), new Map());
        if (out) yield out;
      }
    }
    for (let pass = 1; ; pass++) {
      let cursor: string | null = null;
      let restart = false;
      do {
        const params: Record<string, unknown> = { 'page[limit]': pageSize, fields: LIST_FIELDS.join(','), sort: 'employeeId' };
        if (cursor) params['page[after]'] = cursor;
        const res = await c.request({ method: 'GET', path: '/employees', params, idempotent: true, endpoint: 'employees', throwOnStatus: false });
        // BadPage: the employee the cursor points at changed or went away; the list is read again from the start.
        if (res.status === 400 && (res.data as { error?: { code?: unknown } } | null)?.error?.code === 'BadPage' && cursor) {
          // A list that keeps changing is a passing state upstream, not a wrong request: retried by the sync engine later.
          if (pass >= maxPasses) throw c.fail('UPSTREAM_UNAVAILABLE', `BambooHR's employee list changed under ${pass} consecutive reads`, 'employees', 400, 'BadPage');
          ctx.logger.warn({ tool: 'bamboohr', pass }, 'bamboohr: the employee list changed under the cursor; reading it again from the start');
          restart = true;
          break;
        }
        if ((res.status === 401 || res.status === 403) && cursor === null && pass === 1) {
          const ids = await knownEmployeeIds(c);
          if (ids === null) throw c.statusError(res, 'employees');
          ctx.logger.warn({ tool: 'bamboohr', status: res.status }, 'bamboohr: this key may not use the employee list; reading ids from the changed-since API');
          yield* readListed(ids.filter((id) => !yielded.has(id)));
          break;
        }
        if (res.status >= 400) throw c.statusError(res, 'employees');
        const page = res.data as BambooListResponse | null;
        const rows = new Map<string, BambooListRow>();
        for (const r of Array.isArray(page?.data) ? page.data : []) {
          const id = text(r?.employeeId);
          if (id !== null && !yielded.has(id)) rows.set(id, r);
        }
        const out = await readPage([...rows.keys()], rows);
        if (out) yield out;
        cursor = text(page?.meta?.page?.nextCursor);
      } while (cursor);
      if (!restart) break;
    }
    if (pending) yield pending;
    // People yielded and deleted before the read ended must not count as seen.
    if (opts.onVanished) {
      const deleted = ((await deletedSince(c, new Date(startedAt.getTime() - CLOCK_SKEW_MS))) ?? []).filter((id) => yielded.has(id));
      if (deleted.length) opts.onVanished({ employees: deleted, employments: deleted.flatMap((id) => employmentsOf.get(id) ?? []) });
    }
  }

  async function* deltaRead(ctx: ConnectorContext<BambooCredentials>, c: BambooClient, s: Setup, since: Date, opts: ReadOptions): AsyncGenerator<UnifiedBatch> {
    let body: BambooChangedResponse | null;
    try {
      body = (await c.get('/employees/changed', { since: formatSince(since) }, 'changes')) as BambooChangedResponse | null;
    } catch (e) {
      if (!(e instanceof ConnectorError && e.kind === 'PERMISSION_MISSING')) throw e;
      // Without the changed-since API every delta is a full read: slower, same result.
      ctx.logger.warn({ tool: 'bamboohr' }, 'bamboohr: this key may not read changed employees; reading all of them');
      yield* fullRead(ctx, c, s, {});
      return;
    }
    const all = changes(body);
    const changed = [...new Set(all.filter((x) => x.action !== 'deleted').map((x) => x.id))];
    const deleted = all.filter((x) => x.action === 'deleted').map((x) => x.id);
    const emitted: Emitted = { groups: new Set(), locations: new Set() };
    const gone: string[] = [];
    // Tables of changed people in one call per table when many changed (NOTES §4.5).
    const tables = changed.length > perPersonMax ? await changedTables(c, since) : await tablesFor(c, changed);
    for (let i = 0; i < changed.length; i += pageSize) {
      const ids = changed.slice(i, i + pageSize);
      const rows = await listRowsFor(c, ids);
      const batch = await readBatch(ctx, c, s, ids, rows, tables, emitted, gone);
      if (batch.employees.length) yield batch;
    }
    // Deleted upstream: passed on as vanished (a delta yields no record for them).
    const removed = [...deleted, ...gone];
    if (removed.length && opts.onVanished) opts.onVanished({ employees: removed, employments: [] });
  }

  async function changedTables(c: BambooClient, since: Date): Promise<TableSource> {
    const maps = new Map<BambooTableName, Map<string, BambooTableRow[]> | null>();
    for (const t of TABLES) maps.set(t, await allRows(c, `/employees/changed/tables/${t}`, { since: formatSince(since) }));
    const perPerson = await tablesFor(c, []);
    return async (id) => {
      const out: EmployeeTables = { ...NO_TABLES };
      let missing = false;
      for (const t of TABLES) {
        const m = maps.get(t);
        if (m === null) continue;
        const rows = m?.get(id);
        if (rows) out[t] = rows;
        else missing = true;
      }
      // Someone the table feed does not list (it lists people whose record changed): read their rows directly.
      return missing ? perPerson(id) : out;
    };
  }

  async function* read(ctx: ConnectorContext<BambooCredentials>, opts: ReadOptions = {}): AsyncGenerator<UnifiedBatch> {
    const c = client(ctx);
    const s = await setup(ctx, c);
    if (opts.since) yield* deltaRead(ctx, c, s, opts.since, opts);
    else yield* fullRead(ctx, c, s, opts);
  }

  async function readPeople(ctx: ConnectorContext<BambooCredentials>, remoteIds: string[]): Promise<PeopleRead> {
    const c = client(ctx);
    const ids = [...new Set(remoteIds)].filter((id) => /^\d{1,18}$/.test(id));
    const gone: string[] = [];
    if (ids.length === 0) return { batch: { employees: [], employments: [], groups: [], legal_entities: [], locations: [] }, gone: { employees: [], employments: [] } };
    const s = await setup(ctx, c);
    const rows = await listRowsFor(c, ids);
    const batch = await readBatch(ctx, c, s, ids, rows, await tablesFor(c, ids), { groups: new Set(), locations: new Set() }, gone);
    return { batch, gone: { employees: gone, employments: [] } };
  }

  async function passthrough(ctx: ConnectorContext<BambooCredentials>, req: PassthroughRequest): Promise<PassthroughResponse> {
    // Relative to …/api/gateway.php/{companyDomain}/v1, as Kombo's `bamboohr/v1`; a leading /v1 is tolerated.
    let path = normalizeRelativePath(req.path);
    if (/^\/v1(\/|\?|$)/.test(path)) path = `/${path.slice(3).replace(/^\//, '')}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) if (!FORBIDDEN_HEADERS.has(k.toLowerCase())) headers[k] = v;
    return client(ctx).request({ method: req.method, path, params: req.params, data: req.body, headers, idempotent: req.method === 'GET', throwOnStatus: false, endpoint: 'passthrough' });
  }

  /**
   * File categories are only visible through an employee (there is no company-wide list), and a
   * category marked "do not display if empty" shows only for people with a file in it: the union
   * over a few employees' views finds those too (still not guaranteed; docs/bamboohr-mapping.md).
   */
  async function documentCategories(ctx: ConnectorContext<BambooCredentials>) {
    const c = client(ctx);
    let ids: string[];
    try {
      const page = (await c.get('/employees', { 'page[limit]': CATEGORY_PROBES }, 'employees')) as BambooListResponse | null;
      ids = (Array.isArray(page?.data) ? page.data : []).map((r) => text(r?.employeeId)).filter((id): id is string => id !== null);
    } catch (e) {
      if (!listRefused(e)) throw e;
      const known = await knownEmployeeIds(c);
      if (known === null) throw e;
      ids = known.slice(0, CATEGORY_PROBES);
    }
    const byId = new Map<string, UnifiedDocumentCategory>();
    for (const id of ids) {
      for (const cat of await fileCategories(c, id).catch((e: unknown) => (e instanceof ConnectorError && e.kind === 'NOT_FOUND' ? [] : Promise.reject(e)))) {
        const mapped = mapFileCategory(cat, id);
        if (mapped && !byId.has(mapped.remote_id)) byId.set(mapped.remote_id, mapped);
      }
    }
    return [...byId.values()];
  }

  const share = (ctx: ConnectorContext<BambooCredentials>) => ctx.settings.shareDocuments?.trim().toLowerCase() === 'yes';

  return {
    tool: bamboohrTool,
    credentials: bamboohrCredentials,
    connect: BAMBOOHR_CONNECT,
    settings: BAMBOOHR_SETTINGS,
    uploadRate: BAMBOOHR_UPLOAD_RATE,
    fieldKind: bamboohrFieldKind,
    check: (ctx) => checkBamboo(client(ctx), ctx.now()),
    read,
    readPeople,
    webhooks: bamboohrWebhooks(client),
    documentCategories,
    uploadRules: BAMBOOHR_UPLOAD_RULES,
    uploadDocument: (ctx, employeeRemoteId, doc) => uploadFile(client(ctx), employeeRemoteId, doc, share(ctx)),
    writeTraining(ctx, employeeRemoteId, training) {
      const c = client(ctx);
      return writeTrainingRecord(c, employeeRemoteId, training, {
        scope: `${c.origin}|${ctx.credentials.companyDomain}`,
        certificateCategory: ctx.settings.certificateCategory?.trim() || 'Training Certificates',
        share: share(ctx),
      });
    },
    passthrough,
    async listAttributes(ctx): Promise<AttributeInfo[]> {
      const c = client(ctx);
      const [fields, lists] = await Promise.all([c.get('/meta/fields', undefined, 'meta'), c.get('/meta/lists', undefined, 'meta').catch((e: unknown) => (isRefusal(e) ? [] : Promise.reject(e)))]);
      const options = new Map<string, string[]>();
      for (const l of Array.isArray(lists) ? (lists as BambooListField[]) : []) {
        const names = (Array.isArray(l.options) ? l.options : []).filter((o) => text(o?.archived)?.toLowerCase() !== 'yes').map((o) => text(o?.name)).filter((n): n is string => n !== null);
        for (const k of [text(l.alias), text(l.fieldId)]) if (k) options.set(k, names);
      }
      return (Array.isArray(fields) ? (fields as BambooFieldMeta[]) : [])
        .map((f) => ({ f, key: fieldKey(f) }))
        .filter((x): x is { f: BambooFieldMeta; key: string } => x.key !== null)
        .map(({ f, key }) => ({ key, label: text(f.name) ?? key, type: text(f.type) ?? 'text', universal_id: null, options: options.get(key) ?? options.get(text(f.id) ?? '') ?? [] }));
    },
  };
}

/** Deletions are asked for from a little before the read began: the gateway's and BambooHR's clocks differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

export { BAMBOOHR_API_ORIGIN };
export const bamboohrConnector = createBamboohrConnector();
