import { IncomingMessage } from 'node:http';
import { isoSeconds } from './company';
import { Reply, error, json, negotiated } from './http';
import { EmployeeRecord, TABLES } from './model';
import { SandboxState } from './state';
import { ApiKey, TableName } from './types';
import {
  DEFAULT_LIST_FIELDS,
  LIST_FIELD_PERMISSION,
  LIST_FIELD_SOURCE,
  currentRow,
  employeeFields,
  lastChangedMs,
  listRow,
  renderRow,
  resolveFieldName,
  sortedRows,
} from './views';
import { XmlNode, fieldNodes } from './xml';

/** Get Employee's cap (NOTES §4.2). */
export const MAX_FIELDS = 400;
export const MAX_PAGE_LIMIT = 2500;
export const DEFAULT_PAGE_LIMIT = 250;
const SORTABLE = ['employeeId', 'firstName', 'lastName', 'preferredName', 'jobTitleName', 'status'];

interface Cursor {
  d: 'a' | 'b';
  id: number;
  q: string;
}
const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64');
function decodeCursor(s: string): Cursor | null {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64').toString('utf8')) as Cursor;
    return (c.d === 'a' || c.d === 'b') && Number.isInteger(c.id) && typeof c.q === 'string' ? c : null;
  } catch {
    return null;
  }
}

/** `GET /api/v1/employees`: cursor list with the thin field set (NOTES §4.1). */
export function listEmployees(state: SandboxState, key: ApiKey, query: URLSearchParams, selfHref: string): Reply {
  const bad = (message: string, code = 'BadRequest') => error('list', state.switches, 400, message, {}, code);
  const filter: Record<string, string> = {};
  const ids: number[] = [];
  let page: Record<string, string> = {};
  for (const [k, v] of query) {
    let m: RegExpExecArray | null;
    if (/^filter\[ids\](\[\d*\])?$/.test(k)) {
      for (const part of v.split(',').filter((p) => p.trim() !== '')) {
        if (!/^\d+$/.test(part.trim())) return bad('filter[ids] must contain integer ids');
        ids.push(Number(part));
      }
    } else if ((m = /^filter\[(\w+)\]$/.exec(k))) {
      if (!['firstName', 'lastName', 'jobTitleName', 'status'].includes(m[1])) return bad(`Unknown filter "${m[1]}"`);
      filter[m[1]] = v;
    } else if ((m = /^page\[(\w+)\]$/.exec(k))) {
      if (!['limit', 'after', 'before'].includes(m[1])) return bad(`Unknown page parameter "${m[1]}"`);
      page = { ...page, [m[1]]: v };
    }
  }
  if (filter.status !== undefined && !['active', 'inactive'].includes(filter.status)) return bad('filter[status] must be active or inactive');
  const limit = page.limit === undefined ? DEFAULT_PAGE_LIMIT : Number(page.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) return bad(`page[limit] must be an integer between 1 and ${MAX_PAGE_LIMIT}`);
  if (page.after !== undefined && page.before !== undefined) return bad('Use either page[after] or page[before]', 'BadPage');
  const sortSpec = (query.get('sort') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const sorts = sortSpec.map((s) => ({ field: s.replace(/^-/, ''), desc: s.startsWith('-') }));
  for (const s of sorts) if (!SORTABLE.includes(s.field)) return bad(`Cannot sort by "${s.field}"`);
  const extra = (query.get('fields') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((f) => f && LIST_FIELD_SOURCE[f] && !DEFAULT_LIST_FIELDS.includes(f));
  const hidden = new Set(key.hiddenFields);
  const ctx = state.view();

  // Employees whose filter/sort field is hidden from the caller are dropped (spec L4864).
  const needed = [...Object.keys(filter).filter((f) => f !== 'status'), ...sorts.map((s) => s.field)];
  const isHidden = (f: string) => hidden.has(LIST_FIELD_PERMISSION[f] ?? LIST_FIELD_SOURCE[f]);
  if (needed.some(isHidden)) {
    return json(200, { data: [], meta: { total: 0, page: { limit, nextCursor: null, prevCursor: null } }, _links: { self: { href: selfHref } } });
  }
  const idSet = ids.length ? new Set(ids) : null;
  // Only the values filters and sorts need are derived for everyone; full rows only for the page.
  const jobTitle = (e: EmployeeRecord) => String(currentRow(e, 'jobInfo', ctx.nowMs, true)?.values.jobTitle ?? '') || null;
  const valueOf = (e: EmployeeRecord, f: string): string | null =>
    f === 'jobTitleName' ? jobTitle(e) : f === 'employeeId' ? String(e.id) : e.fields[f] || null;
  const rows = [...state.employees.values()]
    .filter((e) => (!idSet || idSet.has(e.id)) && state.canSee(key, e.id))
    .filter((e) => {
      if (filter.status && e.fields.status.toLowerCase() !== filter.status) return false;
      for (const f of ['firstName', 'lastName', 'jobTitleName']) {
        if (
          filter[f] !== undefined &&
          !String(valueOf(e, f) ?? '')
            .toLowerCase()
            .includes(filter[f].toLowerCase())
        )
          return false;
      }
      return true;
    })
    .map((e) => ({ e, row: Object.fromEntries(sorts.map((s) => [s.field, valueOf(e, s.field)])) as Record<string, unknown> }));
  const cmpValue = (a: unknown, b: unknown, desc: boolean): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return desc ? 1 : -1; // nulls first asc, last desc
    if (b === null || b === undefined) return desc ? -1 : 1;
    const c = String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' });
    return desc ? -c : c;
  };
  rows.sort((x, y) => {
    for (const s of sorts) {
      const c = s.field === 'employeeId' ? (s.desc ? y.e.id - x.e.id : x.e.id - y.e.id) : cmpValue(x.row[s.field], y.row[s.field], s.desc);
      if (c !== 0) return c;
    }
    return x.e.id - y.e.id;
  });
  const q = JSON.stringify([filter, ids, sorts]).length.toString(36) + ':' + hash(JSON.stringify([filter, ids, sorts]));
  const total = rows.length;
  let start = 0;
  let end = Math.min(limit, rows.length);
  const raw = page.after ?? page.before;
  if (raw !== undefined) {
    const c = decodeCursor(raw);
    const dir = page.after !== undefined ? 'a' : 'b';
    if (!c || c.d !== dir || c.q !== q) return bad('Invalid page cursor', 'BadPage');
    const at = rows.findIndex((r) => r.e.id === c.id);
    if (at < 0) return bad('The page boundary changed; restart the listing', 'BadPage');
    if (dir === 'a') {
      start = at + 1;
      end = Math.min(rows.length, start + limit);
    } else {
      end = at;
      start = Math.max(0, end - limit);
    }
  }
  const slice = rows.slice(start, end);
  const nextCursor = end < total && slice.length ? encodeCursor({ d: 'a', id: slice[slice.length - 1].e.id, q }) : null;
  const prevCursor = start > 0 && slice.length ? encodeCursor({ d: 'b', id: slice[0].e.id, q }) : null;
  const link = (cursorKey: string, cursor: string) => {
    const u = new URL(selfHref);
    u.searchParams.delete('page[after]');
    u.searchParams.delete('page[before]');
    u.searchParams.set(cursorKey, cursor);
    return { href: u.toString() };
  };
  const links: Record<string, { href: string }> = { self: { href: selfHref } };
  if (nextCursor) links.next = link('page[after]', nextCursor);
  if (prevCursor) links.prev = link('page[before]', prevCursor);
  return json(200, {
    data: slice.map(({ e }) => listRow(ctx, e, extra, hidden)),
    meta: { total, page: { limit, nextCursor, prevCursor } },
    _links: links,
  });
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/** Employee id from the path; `0` = the key's own employee (NOTES §3.1). */
export function resolveEmployeeId(key: ApiKey, raw: string): number | null {
  if (!/^\d+$/.test(raw)) return null;
  const id = Number(raw);
  return id === 0 ? key.employeeId : id;
}

const falsy = (v: string | null) => v !== null && ['false', '0', 'no'].includes(v.toLowerCase());

/** `GET /api/v1/employees/{id}?fields=…&onlyCurrent=` (NOTES §4.2). */
export function getEmployee(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string, query: URLSearchParams): Reply {
  const fieldsParam = query.get('fields') ?? 'firstName,lastName';
  const names = [
    ...new Set(
      fieldsParam
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length > MAX_FIELDS) return error('classic', state.switches, 400, `A maximum of ${MAX_FIELDS} fields may be requested`);
  const id = resolveEmployeeId(key, rawId);
  const e = id === null ? undefined : state.employees.get(id);
  if (!e) return error('classic', state.switches, 404, 'Employee not found');
  if (!state.canSee(key, e.id)) return error('classic', state.switches, 403, 'You do not have access to this employee');
  const all = employeeFields(state.view(), e, !falsy(query.get('onlyCurrent')));
  const hidden = new Set(key.hiddenFields);
  const out: Record<string, unknown> = { id: String(e.id) };
  for (const name of names) {
    const alias = resolveFieldName(name);
    if (name === 'id' || hidden.has(alias) || hidden.has(name)) continue;
    if (alias in all) out[name] = all[alias];
    else if (state.switches.unknownFieldsOnGet === 'null') out[name] = null;
  }
  return negotiated(req, state.switches, out, () => ({ name: 'employee', attrs: { id: e.id }, children: fieldNodes(out, ['id']) }));
}

const SINCE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/;

/** ISO 8601 with an offset; a `+` sent unencoded arrives as a space and fails (NOTES §12.8). */
export function parseSince(raw: string | null): number | null {
  const m = raw ? SINCE.exec(raw) : null;
  if (!m) return null;
  const off = m[2] === 'Z' ? 'Z' : `${m[2].slice(0, 3)}:${m[2].slice(-2)}`;
  const t = Date.parse(`${m[1]}${off}`);
  return Number.isFinite(t) ? t : null;
}

/** `GET /api/v1/employees/changed?since=&type=` → map keyed by id (NOTES §4.4). */
export function changedEmployees(state: SandboxState, req: IncomingMessage, key: ApiKey, query: URLSearchParams): Reply {
  const since = parseSince(query.get('since'));
  if (since === null) return error('classic', state.switches, 400, 'The since parameter is missing or is not a valid ISO 8601 date');
  const type = (query.get('type') ?? 'all').toLowerCase();
  if (!['inserted', 'updated', 'deleted', 'all'].includes(type)) return error('classic', state.switches, 400, 'Invalid type parameter');
  const now = state.now();
  const entries: Array<{ id: string; action: 'Inserted' | 'Updated' | 'Deleted'; at: number }> = [];
  for (const e of state.employees.values()) {
    if (!state.canSee(key, e.id)) continue;
    const at = lastChangedMs(e, now, state.switches.futureRowsChangeWhen);
    if (at > since) entries.push({ id: String(e.id), action: e.createdAt > since ? 'Inserted' : 'Updated', at });
  }
  for (const [id, at] of state.deleted) if (at > since && state.canSee(key, id)) entries.push({ id: String(id), action: 'Deleted', at });
  const wanted = entries.filter((x) => type === 'all' || x.action.toLowerCase() === type).sort((a, b) => Number(a.id) - Number(b.id));
  const latest = isoSeconds(wanted.reduce((m, x) => Math.max(m, x.at), since));
  const employees: Record<string, unknown> = {};
  for (const x of wanted) employees[x.id] = { id: x.id, action: x.action, lastChanged: isoSeconds(x.at) };
  return negotiated(req, state.switches, { latest, employees }, () => ({
    name: 'employees',
    attrs: { latest },
    children: wanted.map((x) => ({ name: 'employee', attrs: { id: x.id, action: x.action, lastChanged: isoSeconds(x.at) } })),
  }));
}

function tableRowsXml(rows: Array<Record<string, unknown>>): XmlNode[] {
  return rows.map((r) => ({ name: 'row', attrs: { id: String(r.id), employeeId: String(r.employeeId) }, children: fieldNodes(r, ['id', 'employeeId']) }));
}

/** `GET /api/v1/employees/{id|all}/tables/{table}` (NOTES §4.5). */
export function getTable(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string, table: string, query: URLSearchParams): Reply {
  if (!(TABLES as readonly string[]).includes(table)) return error('classic', state.switches, 404, `Table ${table} does not exist`);
  const t = table as TableName;
  let people;
  if (rawId === 'all') people = [...state.employees.values()].filter((e) => state.canSee(key, e.id));
  else {
    const id = resolveEmployeeId(key, rawId);
    const e = id === null ? undefined : state.employees.get(id);
    if (!e) return error('classic', state.switches, 404, 'Employee not found');
    if (!state.canSee(key, e.id)) return error('classic', state.switches, 403, 'You do not have access to this employee');
    people = [e];
  }
  const ctx = state.view();
  const today = new Date(ctx.nowMs).toISOString().slice(0, 10);
  const hideFuture = state.switches.tablesHonourOnlyCurrent && !falsy(query.get('onlyCurrent'));
  const rows: Array<Record<string, unknown>> = [];
  for (const e of people) {
    const source = state.switches.shuffleTableRows ? e.tables[t] : sortedRows(e, t);
    for (const r of source) {
      const rendered = renderRow(ctx, e, t, r);
      if (hideFuture && String(rendered[t === 'compensation' ? 'startDate' : 'date']) > today) continue;
      rows.push(rendered);
    }
  }
  return negotiated(req, state.switches, rows, () => ({ name: 'table', children: tableRowsXml(rows) }));
}

/** `GET /api/v1/employees/changed/tables/{table}?since=`: all rows of every changed employee (NOTES §4.5). */
export function changedTable(state: SandboxState, req: IncomingMessage, key: ApiKey, table: string, query: URLSearchParams): Reply {
  const since = parseSince(query.get('since'));
  if (since === null) return error('classic', state.switches, 400, 'The since parameter is missing or is not a valid ISO 8601 date');
  if (!(TABLES as readonly string[]).includes(table)) return error('classic', state.switches, 404, `Table ${table} does not exist`);
  const t = table as TableName;
  const ctx = state.view();
  const employees: Record<string, { lastChanged: string; rows: Array<Record<string, unknown>> }> = {};
  const ordered = [...state.employees.values()].sort((a, b) => a.id - b.id);
  for (const e of ordered) {
    if (!state.canSee(key, e.id)) continue;
    const at = lastChangedMs(e, ctx.nowMs, state.switches.futureRowsChangeWhen);
    if (at <= since) continue;
    employees[String(e.id)] = { lastChanged: isoSeconds(at), rows: e.tables[t].map((r) => renderRow(ctx, e, t, r)) };
  }
  return negotiated(req, state.switches, { table: t, employees }, () => ({
    name: 'employees',
    attrs: { table: t },
    children: Object.entries(employees).map(([id, v]) => ({ name: 'employee', attrs: { id, lastChanged: v.lastChanged }, children: tableRowsXml(v.rows) })),
  }));
}
