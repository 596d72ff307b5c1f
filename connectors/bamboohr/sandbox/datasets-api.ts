import { IncomingMessage } from 'node:http';
import { readBody } from '../../sandbox-kit/http';
import { FIELD_CATALOGUE } from './company';
import { Reply, error, json, readJson } from './http';
import { SandboxState } from './state';
import { ApiKey } from './types';
import { employeeFields } from './views';

/**
 * Datasets API (NOTES §4.10): `GET /api/v1_2/datasets`, `GET /api/v1_2/datasets/{name}/fields`,
 * `POST /api/v2/datasets/{name}/data` with an OData-style filter. One dataset, `employee`; its
 * field names are the v1 aliases plus `employeeId` (the live names are UNVERIFIED: a third party
 * saw `jobInformationDepartment`-style names).
 */
const SECTIONS: Record<string, [string, string]> = {
  jobTitle: ['Job', 'jobInfo'],
  department: ['Job', 'jobInfo'],
  division: ['Job', 'jobInfo'],
  location: ['Job', 'jobInfo'],
  supervisor: ['Job', 'jobInfo'],
  supervisorEId: ['Job', 'jobInfo'],
  supervisorId: ['Job', 'jobInfo'],
  employmentHistoryStatus: ['Job', 'employmentStatus'],
  terminationReasonId: ['Job', 'employmentStatus'],
  hireDate: ['Job', 'job'],
  originalHireDate: ['Job', 'job'],
  terminationDate: ['Job', 'employmentStatus'],
  payRate: ['Job', 'compensation'],
  payType: ['Job', 'compensation'],
  payPer: ['Job', 'compensation'],
  paySchedule: ['Job', 'compensation'],
  payRateEffectiveDate: ['Job', 'compensation'],
  exempt: ['Job', 'compensation'],
};

export function datasetFields(): Array<{ name: string; label: string; parentType: string; parentName: string; entityName: string }> {
  const fromCatalogue = FIELD_CATALOGUE.filter((f) => f.alias && !f.deprecated).map((f) => {
    const [parentName, entityName] = SECTIONS[f.alias!] ?? (f.alias!.startsWith('custom') ? ['Custom', 'custom'] : ['Personal', 'personal']);
    return {
      name: f.alias!,
      label: f.name,
      parentType: entityName === 'personal' || entityName === 'custom' || entityName === 'job' ? 'page' : 'table',
      parentName,
      entityName,
    };
  });
  return [{ name: 'employeeId', label: 'Employee ID', parentType: 'page', parentName: 'Personal', entityName: 'personal' }, ...fromCatalogue];
}

export function listDatasets(): Reply {
  return json(200, { datasets: [{ name: 'employee', label: 'Employee' }] });
}

export function getDatasetFields(state: SandboxState, name: string, query: URLSearchParams): Reply {
  if (name !== 'employee') return error('problem', state.switches, 422, `Dataset ${name} not found`, {}, 'DATASET_NOT_FOUND');
  const page = Number(query.get('page') ?? '1');
  const size = Number(query.get('page_size') ?? '500');
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1 || size > 1000)
    return error('problem', state.switches, 422, 'page must be >= 1 and page_size 1..1000', {}, 'INVALID_PAGINATION');
  const all = datasetFields();
  const totalPages = Math.max(1, Math.ceil(all.length / size));
  const link = (p: number) => `${state.baseUrl}/api/v1_2/datasets/employee/fields?page=${p}&page_size=${size}`;
  return json(200, {
    pagination: {
      total_records: all.length,
      current_page: page,
      total_pages: totalPages,
      next_page: page < totalPages ? link(page + 1) : null,
      prev_page: page > 1 ? link(page - 1) : null,
    },
    name: 'employee',
    label: 'Employee',
    fields: all.slice((page - 1) * size, page * size),
  });
}

type Value = string | number | boolean | null;
type Expr =
  | { kind: 'logic'; op: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'cmp'; field: string; cmp: string; value: Value }
  | { kind: 'in'; field: string; values: Value[] };

/** OData subset: eq ne lt le gt ge, in (…), and, or, parentheses; 'strings', numbers, true/false/null. */
export function parseFilter(src: string): Expr {
  const tokens = src.match(/'(?:[^']|'')*'|\(|\)|,|[^\s(),]+/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    if (i >= tokens.length) throw new Error('unexpected end of filter');
    return tokens[i++];
  };
  const value = (): Value => {
    const t = next();
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    throw new Error(`bad value ${t}`);
  };
  const term = (): Expr => {
    if (peek() === '(') {
      next();
      const e = or();
      if (next() !== ')') throw new Error('missing )');
      return e;
    }
    const field = next();
    if (!/^[A-Za-z0-9_.]+$/.test(field)) throw new Error(`bad field ${field}`);
    const op = next().toLowerCase();
    if (op === 'in') {
      if (next() !== '(') throw new Error('in needs (');
      const values = [value()];
      while (peek() === ',') {
        next();
        values.push(value());
      }
      if (next() !== ')') throw new Error('missing )');
      return { kind: 'in', field, values };
    }
    if (!['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)) throw new Error(`unknown operator ${op}`);
    return { kind: 'cmp', field, cmp: op, value: value() };
  };
  /** `sub (op sub)*`, left-associative; `and` binds tighter than `or`. */
  const chain = (op: 'and' | 'or', sub: () => Expr) => (): Expr => {
    let left = sub();
    while (peek()?.toLowerCase() === op) {
      next();
      left = { kind: 'logic', op, left, right: sub() };
    }
    return left;
  };
  const and = chain('and', term);
  const or = chain('or', and);
  const e = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]}`);
  return e;
}

function fieldsOf(e: Expr): string[] {
  return e.kind === 'logic' ? [...fieldsOf(e.left), ...fieldsOf(e.right)] : [e.field];
}

function compare(a: string, b: Value): number {
  if (typeof b === 'number' && a !== '' && Number.isFinite(Number(a))) return Number(a) - b;
  return a.localeCompare(b === null ? '' : String(b));
}

function matches(e: Expr, row: Record<string, string>): boolean {
  if (e.kind === 'logic') return e.op === 'and' ? matches(e.left, row) && matches(e.right, row) : matches(e.left, row) || matches(e.right, row);
  const v = row[e.field] ?? '';
  if (e.kind === 'in') return e.values.some((x) => compare(v, x) === 0);
  if (e.value === null) return e.cmp === 'eq' ? v === '' : e.cmp === 'ne' ? v !== '' : false;
  const c = compare(v, e.value);
  return { eq: c === 0, ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[e.cmp as 'eq'];
}

/** `POST /api/v2/datasets/{name}/data`: values as strings ("" when empty), 1-based pages ≤ 1000. */
export async function datasetData(state: SandboxState, req: IncomingMessage, key: ApiKey, name: string): Promise<Reply> {
  const problem = (status: number, detail: string, code: string) => error('problem', state.switches, status, detail, {}, code);
  const parsed = readJson(await readBody(req));
  if (name !== 'employee') return problem(404, `Dataset ${name} not found`, 'DATASET_NOT_FOUND');
  const b = (parsed.ok ? parsed.value : null) as { fields?: unknown; filter?: unknown; orderBy?: unknown; page?: unknown; pageSize?: unknown } | null;
  if (!b || typeof b !== 'object' || !Array.isArray(b.fields) || b.fields.length === 0 || b.fields.some((f) => typeof f !== 'string')) {
    return problem(400, 'fields is required: a non-empty array of field names', 'INVALID_REQUEST');
  }
  const known = new Set(datasetFields().map((f) => f.name));
  const hidden = new Set(key.hiddenFields);
  const fields = b.fields as string[];
  const unknown = fields.filter((f) => !known.has(f));
  if (unknown.length) return problem(422, `Unknown fields: ${unknown.join(', ')}`, 'INVALID_FIELDS');
  const page = b.page === undefined ? 1 : Number(b.page);
  const pageSize = b.pageSize === undefined ? 100 : Number(b.pageSize);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    return problem(422, 'page must be >= 1 and pageSize 1..1000', 'INVALID_PAGINATION');
  let filter: Expr | null = null;
  if (typeof b.filter === 'string' && b.filter.trim()) {
    try {
      filter = parseFilter(b.filter);
    } catch (err) {
      return problem(422, `Invalid filter: ${(err as Error).message}`, 'INVALID_FILTER');
    }
    const bad = fieldsOf(filter).filter((f) => !known.has(f));
    if (bad.length) return problem(422, `Unknown filter fields: ${bad.join(', ')}`, 'INVALID_FILTER');
  }
  const order: Array<{ field: string; desc: boolean }> = [];
  if (typeof b.orderBy === 'string' && b.orderBy.trim()) {
    for (const part of b.orderBy.split(',')) {
      const m = /^\s*([A-Za-z0-9_.]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
      if (!m || !fields.includes(m[1])) return problem(422, `orderBy fields must be in fields: ${part.trim()}`, 'INVALID_ORDER');
      order.push({ field: m[1], desc: m[2]?.toLowerCase() === 'desc' });
    }
  }
  const ctx = { ...state.view(), switches: { ...state.switches, zeroDates: false } };
  const wanted = [...new Set([...fields, ...(filter ? fieldsOf(filter) : [])])];
  let rows = [...state.employees.values()]
    .filter((e) => state.canSee(key, e.id))
    .sort((a, c) => a.id - c.id)
    .map((e) => {
      const all = employeeFields(ctx, e, true);
      const row: Record<string, string> = {};
      for (const f of wanted) {
        const v = f === 'employeeId' ? String(e.id) : hidden.has(f) ? '' : all[f];
        row[f] = v === null || v === undefined ? '' : String(v);
      }
      return row;
    });
  if (filter) rows = rows.filter((r) => matches(filter!, r));
  for (const o of [...order].reverse()) rows.sort((x, y) => (o.desc ? -1 : 1) * x[o.field].localeCompare(y[o.field], 'en', { numeric: true }));
  const totalItems = rows.length;
  const totalPages = Math.max(1, Math.ceil(totalItems / pageSize));
  const link = (p: number) => `${state.baseUrl}/api/v2/datasets/employee/data?page=${p}&pageSize=${pageSize}`;
  return json(200, {
    data: rows.slice((page - 1) * pageSize, page * pageSize).map((r) => ({ fields: Object.fromEntries(fields.map((f) => [f, r[f]])) })),
    links: { next: page < totalPages ? link(page + 1) : null, prev: page > 1 ? link(page - 1) : null },
    meta: { page, pageSize, totalPages, totalItems },
  });
}
