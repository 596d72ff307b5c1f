import { IncomingMessage } from 'node:http';
import { jsonFieldMap, readBody } from '../../sandbox-kit/http';
import { STORED_FIELDS } from './company';
import { Reply, empty, error } from './http';
import { DATE_COLUMN, TABLES } from './model';
import { SandboxState } from './state';
import { ApiKey, TableName } from './types';

/**
 * Employee and table-row writes (create/update employee, add/update table row). The gateway
 * itself only writes files and trainings; these let tests and passthrough change data the way an
 * HR admin or another integration would.
 */

/** JSON object, or the `<employee>`/`<row>` XML document with `<field id="…">value</field>` children. */
async function fieldMap(req: IncomingMessage): Promise<Record<string, string> | null> {
  const raw = (await readBody(req)).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('json')) return jsonFieldMap(raw);
  if (!/^\s*(<\?xml[^>]*\?>\s*)?<(employee|row)[\s>]/.test(raw)) return null;
  const out: Record<string, string> = {};
  for (const m of raw.matchAll(/<field\s+id="([^"]+)"\s*(?:\/>|>([^<]*)<\/field>)/g)) out[m[1]] = unescape(m[2] ?? '');
  return out;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const JOB_FIELDS = ['jobTitle', 'department', 'division', 'location', 'employmentHistoryStatus'];

function checkEmployeeFields(state: SandboxState, fields: Record<string, string>, selfId: number | null, allowJob: boolean): Reply | null {
  for (const k of Object.keys(fields)) {
    if ((STORED_FIELDS as readonly string[]).includes(k) || (allowJob && JOB_FIELDS.includes(k))) continue;
    const why = JOB_FIELDS.includes(k) ? ' (job fields change through the jobInfo/employmentStatus tables)' : '';
    return error('classic', state.switches, 400, `Unknown or read-only field ${k}${why}`);
  }
  const email = fields.workEmail?.toLowerCase();
  if (email && [...state.employees.values()].some((e) => e.id !== selfId && e.fields.workEmail.toLowerCase() === email)) {
    return error('classic', state.switches, 409, 'Duplicate work email');
  }
  return null;
}

/** `POST /api/v1/employees` → 201, no body, new id only in `Location` (NOTES §4.2). */
export async function createEmployee(state: SandboxState, req: IncomingMessage): Promise<Reply> {
  const fields = await fieldMap(req);
  if (!fields) return error('classic', state.switches, 400, 'Malformed JSON or XML');
  if (!fields.firstName?.trim() || !fields.lastName?.trim()) return error('classic', state.switches, 400, 'firstName and lastName are required');
  const bad = checkEmployeeFields(state, fields, null, true);
  if (bad) return bad;
  const e = state.hire(fields);
  return empty(201, { Location: `${state.baseUrl}/api/v1/employees/${e.id}` });
}

/** `POST /api/v1/employees/{id}` → 200, no body. */
export async function updateEmployee(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string): Promise<Reply> {
  const fields = await fieldMap(req);
  const id = /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  if (!state.employees.has(id)) return error('classic', state.switches, 404, 'Employee not found');
  if (!state.canSee(key, id)) return error('classic', state.switches, 403, 'You do not have access to this employee');
  if (!fields || Object.keys(fields).length === 0) return error('classic', state.switches, 400, 'Malformed JSON or XML');
  const bad = checkEmployeeFields(state, fields, id, false);
  if (bad) return bad;
  state.update(id, fields);
  return empty(200);
}

const LIST_COLUMNS: Record<string, string> = {
  department: 'department',
  division: 'division',
  location: 'location',
  jobTitle: 'jobTitle',
  employmentStatus: 'employmentHistoryStatus',
};

/** `POST /api/v1/employees/{id}/tables/{table}[/{rowId}]` → 200, no body; 406 for a value that is not a list option. */
export async function writeTableRow(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string, table: string, rowId?: string): Promise<Reply> {
  const values = await fieldMap(req);
  const err = (s: number, m: string) => error('classic', state.switches, s, m);
  const id = /^\d+$/.test(rawId) ? Number(rawId) : NaN;
  const e = state.employees.get(id);
  if (!e || !(TABLES as readonly string[]).includes(table)) return err(404, 'Employee or table not found');
  if (!state.canSee(key, id)) return err(403, 'Permission denied');
  const t = table as TableName;
  if (!values || Object.keys(values).length === 0) return err(400, 'Malformed JSON or XML');
  for (const [col, v] of Object.entries(values)) {
    const list = LIST_COLUMNS[col];
    if (list && v && !state.lists.find((l) => l.alias === list)!.options.some((o) => o.name === v && !o.archived))
      return err(406, `Invalid value for ${col}: ${v}`);
  }
  const dateCol = DATE_COLUMN[t];
  if (values[dateCol] !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values[dateCol])) return err(400, `${dateCol} must be YYYY-MM-DD`);
  const row: Record<string, unknown> = { ...values };
  for (const [k, v] of Object.entries(row)) if (v === '') row[k] = null;
  if (rowId === undefined) {
    if (!values[dateCol]) return err(400, `${dateCol} is required`);
    state.addRow(id, t, row);
    return empty(200);
  }
  if (!e.tables[t].some((r) => String(r.id) === rowId)) return err(404, 'Row not found');
  state.updateRow(id, t, Number(rowId), row);
  return empty(200);
}
