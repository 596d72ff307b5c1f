// BambooHR's history tables (jobInfo, employmentStatus, compensation) for the
// people a read maps: per person when few, once for everyone (`all`) when many,
// or from the changed-since table feeds on deltas. A table the key may not read
// is left null, which the mapping handles.
import { text } from '../values';
import { BambooClient, formatSince } from './client';
import { NO_TABLES, type EmployeeTables } from './mapping';
import { isRefusal } from './read-context';
import type { BambooTableName, BambooTableRow } from './types';

export const TABLES: BambooTableName[] = ['jobInfo', 'employmentStatus', 'compensation'];

export type TableSource = (id: string) => Promise<EmployeeTables>;

/** Rows of one table for everyone (`all`), grouped by employee; null when the key may not read the table. */
export async function allRows(c: BambooClient, path: string, params?: Record<string, unknown>): Promise<Map<string, BambooTableRow[]> | null> {
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

/** Tables for a known set of people: per person when few, else once for everyone. */
export async function tablesFor(c: BambooClient, ids: string[], perPersonMax: number): Promise<TableSource> {
  return ids.length > perPersonMax ? tablesOfAll(c) : perPersonTables(c);
}

/** Each person's tables read by themselves; a table the key may not read is not asked for again. */
function perPersonTables(c: BambooClient): TableSource {
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
        if (!isRefusal(e)) throw e;
        if (e.kind === 'PERMISSION_MISSING') readable.set(t, false);
      }
    }
    return out;
  };
}

/** Each table's rows for everyone from one feed, the three asked together (they are independent). */
async function feeds(c: BambooClient, feed: 'all' | 'changed', params?: Record<string, unknown>) {
  const rows = await Promise.all(TABLES.map((t) => allRows(c, `/employees/${feed}/tables/${t}`, params)));
  return new Map(TABLES.map((t, i) => [t, rows[i]]));
}

export async function tablesOfAll(c: BambooClient): Promise<TableSource> {
  const maps = await feeds(c, 'all');
  return async (id) => {
    const pick = (t: BambooTableName) => {
      const m = maps.get(t);
      return m ? (m.get(id) ?? []) : null;
    };
    return { jobInfo: pick('jobInfo'), employmentStatus: pick('employmentStatus'), compensation: pick('compensation') };
  };
}

/** Tables from the changed-since table feeds; people the feeds do not list are read by themselves. */
export async function changedTables(c: BambooClient, since: Date): Promise<TableSource> {
  const maps = await feeds(c, 'changed', { since: formatSince(since) });
  const perPerson = perPersonTables(c);
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
