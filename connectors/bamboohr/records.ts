// Reading and mapping a page of BambooHR people: their records (one custom
// report for the page, or get-employee per person), the cursor-list rows that
// carry relation ids, their tables, and the org records the mapping yields.
import type { UnifiedBatch } from '../unified';
import { setField, text } from '../values';
import { BambooClient } from './client';
import { LIST_FIELDS, type FieldPlan } from './fields';
import { mapBambooRecord, type EmployeeTables } from './mapping';
import { eachBounded, listRefused, rulesOf, type BambooCtx, type Emitted, type Setup } from './read-context';
import type { TableSource } from './tables';
import type { BambooEmployee, BambooListResponse, BambooListRow } from './types';

/** get-employee reads in flight per page (the limiter bounds the real concurrency and rate). */
const RECORD_CONCURRENCY = 4;

/**
 * get-employee with every planned field (onlyCurrent=false shows future hires and terminations);
 * null when BambooHR answers 404 (deleted), 'hidden' on 403: the key's user may not see this
 * person (BambooHR access levels can cover part of the company), which is no reason to fail the read.
 */
export async function getEmployee(c: BambooClient, id: string, plan: FieldPlan): Promise<BambooEmployee | null | 'hidden'> {
  const res = await c.request({
    method: 'GET',
    path: `/employees/${encodeURIComponent(id)}`,
    params: { fields: plan.request.join(','), onlyCurrent: 'false' },
    idempotent: true,
    endpoint: 'employees',
    throwOnStatus: false,
  });
  if (res.status === 404) return null;
  if (res.status === 403) return 'hidden';
  if (res.status >= 400) throw c.statusError(res, 'employees');
  const body = res.data;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw c.fail('UPSTREAM_UNAVAILABLE', 'BambooHR returned an employee without data', 'employees', res.status);
  return uniformRecord({ ...(body as BambooEmployee), id: text((body as BambooEmployee).id) ?? id });
}

/**
 * One shape whichever call read the person: the custom report sends every value as a string and
 * every requested field (empty ones as ""), get-employee sends some values typed (`photoUploaded:
 * true`) and leaves some empty fields out. Values become strings and empty ones are dropped, so a
 * person read either way maps to the same record and hash (no rewrite when the read path changes,
 * e.g. when a fault makes a page fall back to one get-employee per person).
 */
export function uniformRecord(e: BambooEmployee): BambooEmployee {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (v === '' || v === undefined) continue;
    setField(out, k, typeof v === 'boolean' || typeof v === 'number' ? String(v) : v);
  }
  return out as BambooEmployee;
}

/**
 * A page of people's records in one call: the custom report filtered by their ids (deprecated
 * by BambooHR in favour of Datasets, still served and widely used; NOTES §4.10). Values are
 * strings, hidden fields are left out as on get-employee. Null when BambooHR refuses it (gone,
 * not allowed): the reader then falls back to one get-employee per person.
 */
export async function customReport(ctx: BambooCtx, c: BambooClient, plan: FieldPlan, ids: string[]): Promise<Map<string, BambooEmployee> | null> {
  const data = { title: 'HRIS gateway sync', fields: plan.request, filters: { employeeIds: ids.map(Number) }, filterDuplicates: 'yes' };
  // Exactly `application/json`: with a charset BambooHR parses the body as XML (NOTES §12.9).
  const res = await c.request({
    method: 'POST',
    path: '/reports/custom',
    params: { format: 'JSON', onlyCurrent: 'false' },
    data: JSON.stringify(data),
    headers: { 'Content-Type': 'application/json' },
    idempotent: true,
    endpoint: 'reports',
    throwOnStatus: false,
  });
  const employees = (res.data as { employees?: unknown } | null)?.employees;
  if (res.status === 401) throw c.statusError(res, 'reports');
  if (res.status >= 400 || !Array.isArray(employees)) {
    ctx.logger.warn({ tool: 'bamboohr', status: res.status }, 'bamboohr: the custom report is not available; reading people one by one');
    return null;
  }
  const out = new Map<string, BambooEmployee>();
  for (const e of employees as BambooEmployee[]) {
    const id = text(e?.id);
    if (id !== null) out.set(id, uniformRecord({ ...e, id }));
  }
  return out;
}

/** Cursor-list rows for these ids (the relation ids get-employee lacks); missing rows are tolerated. */
export async function listRowsFor(c: BambooClient, ids: string[], pageSize: number): Promise<Map<string, BambooListRow>> {
  const rows = new Map<string, BambooListRow>();
  for (let i = 0; i < ids.length; i += pageSize) {
    const chunk = ids.slice(i, i + pageSize);
    let page: BambooListResponse | null;
    try {
      page = (await c.get(
        '/employees',
        { 'filter[ids]': chunk.join(','), 'page[limit]': chunk.length, fields: LIST_FIELDS.join(',') },
        'employees',
      )) as BambooListResponse | null;
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

/** Reads and maps these people; ids BambooHR no longer knows go to `gone`. */
export async function readBatch(
  ctx: BambooCtx,
  c: BambooClient,
  s: Setup,
  ids: string[],
  rows: Map<string, BambooListRow>,
  tables: TableSource,
  emitted: Emitted,
  gone: string[],
): Promise<UnifiedBatch> {
  const found = new Map<string, { raw: BambooEmployee; tables: EmployeeTables }>();
  // One report request for the page instead of one request per person (memory stays one page).
  const report = s.bulk.enabled && ids.length > 1 ? await customReport(ctx, c, s.plan, ids) : null;
  if (report === null && ids.length > 1) s.bulk.enabled = false;
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
export function orgRecords(s: Setup, emitted: Emitted): UnifiedBatch {
  const { groups, locations } = s.org.activeRecords();
  groups.forEach((g) => emitted.groups.add(g.remote_id));
  locations.forEach((l) => emitted.locations.add(l.remote_id));
  return { employees: [], employments: [], groups, legal_entities: [], locations };
}

export const merge = (a: UnifiedBatch, b: UnifiedBatch): UnifiedBatch => ({
  employees: [...a.employees, ...b.employees],
  employments: [...a.employments, ...b.employments],
  groups: [...a.groups, ...b.groups],
  legal_entities: [],
  locations: [...a.locations, ...b.locations],
});
