import { IncomingMessage } from 'node:http';
import { readBody } from '../../sandbox-kit/http';
import { Reply, error, json, readJson } from './http';
import { SandboxState } from './state';
import { ApiKey, TrainingRecordRow, TrainingTypeRecord } from './types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `GET /api/v1/training/type`: object keyed by id; `category` is `[]` when unset (spec L10294). */
export function listTrainingTypes(state: SandboxState): Reply {
  const out: Record<string, unknown> = {};
  for (const t of state.trainingTypes) out[String(t.id)] = renderType(state, t);
  return json(200, out);
}

function renderType(state: SandboxState, t: TrainingTypeRecord): Record<string, unknown> {
  const cat = state.trainingCategories.find((c) => c.id === t.categoryId);
  const out: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    renewable: t.renewable,
    required: t.required,
    category: cat ? { ...cat } : [],
    linkUrl: t.linkUrl,
    description: t.description,
    allowEmployeesToMarkComplete: t.allowEmployeesToMarkComplete,
  };
  if (t.frequency !== null) out.frequency = t.frequency;
  if (t.dueFromHireDate !== null) out.dueFromHireDate = t.dueFromHireDate;
  return out;
}

export function listTrainingCategories(state: SandboxState): Reply {
  return json(200, Object.fromEntries(state.trainingCategories.map((c) => [String(c.id), { ...c }])));
}

/** Record as BambooHR returns it: strings for hours/credits, cost as "50.00 USD"; `type` int on create, string elsewhere (NOTES §2 defect 4). */
function renderRecord(r: TrainingRecordRow, typeAsInt: boolean): Record<string, unknown> {
  return {
    id: r.id,
    employeeId: String(r.employeeId),
    completed: r.completed,
    notes: r.notes,
    instructor: r.instructor,
    credits: r.credits === null ? null : String(r.credits),
    hours: r.hours === null ? null : String(r.hours),
    cost: r.cost ? `${r.cost.amount} ${r.cost.currency}` : null,
    type: typeAsInt ? r.type : String(r.type),
  };
}

/** `GET /api/v1/training/record/employee/{id}?type=` → object keyed by record id, or `[]` when none. */
export function listTrainingRecords(state: SandboxState, key: ApiKey, rawId: string, query: URLSearchParams): Reply {
  const err = (s: number, m: string) => error('classic', state.switches, s, m);
  if (!/^\d+$/.test(rawId) || !state.employees.has(Number(rawId))) return err(404, 'Employee not found');
  if (!state.canSee(key, Number(rawId))) return err(403, 'Insufficient user permissions');
  const type = query.get('type');
  if (type !== null && !/^\d+$/.test(type)) return err(400, 'type must be a training type id');
  const rows = state.trainingRecords.filter((r) => r.employeeId === Number(rawId) && (type === null || r.type === Number(type)));
  if (rows.length === 0) return json(200, []);
  return json(200, Object.fromEntries(rows.map((r) => [String(r.id), renderRecord(r, false)])));
}

interface RecordBody {
  completed?: unknown;
  type?: unknown;
  instructor?: unknown;
  hours?: unknown;
  credits?: unknown;
  notes?: unknown;
  cost?: unknown;
}

function parseFields(b: RecordBody): { ok: true; v: Partial<TrainingRecordRow> } | { ok: false; message: string } {
  const v: Partial<TrainingRecordRow> = {};
  const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x)) ? Number(x) : NaN);
  if (b.instructor !== undefined) v.instructor = b.instructor === null ? null : String(b.instructor);
  if (b.notes !== undefined) v.notes = b.notes === null ? null : String(b.notes);
  for (const k of ['hours', 'credits'] as const) {
    if (b[k] === undefined || b[k] === null) continue;
    const n = num(b[k]);
    if (!Number.isFinite(n)) return { ok: false, message: `${k} must be a number` };
    v[k] = n;
  }
  if (b.cost !== undefined && b.cost !== null) {
    const c = b.cost as { currency?: unknown; amount?: unknown };
    if (typeof c !== 'object' || typeof c.currency !== 'string' || !Number.isFinite(num(c.amount)))
      return { ok: false, message: 'cost needs currency and amount' };
    v.cost = { currency: c.currency, amount: num(c.amount).toFixed(2) };
  }
  return { ok: true, v };
}

async function body(req: IncomingMessage): Promise<RecordBody | null> {
  const parsed = readJson(await readBody(req));
  return parsed.ok && parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as RecordBody) : null;
}

/** `POST /api/v1/training/record/employee/{id}` → 201 with the record (`type` as integer). */
export async function createTrainingRecord(state: SandboxState, req: IncomingMessage, key: ApiKey, rawId: string): Promise<Reply> {
  const err = (s: number, m: string) => error('classic', state.switches, s, m);
  const b = await body(req);
  if (!/^\d+$/.test(rawId) || !state.employees.has(Number(rawId))) return err(404, 'Employee not found');
  if (!state.canSee(key, Number(rawId))) return err(403, 'Insufficient user permissions');
  if (!b) return err(400, 'Malformed JSON body');
  if (typeof b.completed !== 'string' || !DAY.test(b.completed)) return err(400, 'completed is required in yyyy-mm-dd format');
  const type = typeof b.type === 'number' ? b.type : typeof b.type === 'string' && /^\d+$/.test(b.type) ? Number(b.type) : NaN;
  if (!state.trainingTypes.some((t) => t.id === type)) return err(400, 'type must be an existing training type id');
  const f = parseFields(b);
  if (!f.ok) return err(400, f.message);
  const rec = state.addTrainingRecord({
    employeeId: Number(rawId),
    completed: b.completed,
    type,
    instructor: null,
    hours: null,
    credits: null,
    notes: null,
    cost: null,
    ...f.v,
  });
  return json(201, renderRecord(rec, true));
}

/** `PUT /api/v1/training/record/{recordId}` (`completed` required) → 201 (sic, spec L10921). */
export async function updateTrainingRecord(state: SandboxState, req: IncomingMessage, rawId: string): Promise<Reply> {
  const err = (s: number, m: string) => error('classic', state.switches, s, m);
  const b = await body(req);
  const rec = state.trainingRecords.find((r) => String(r.id) === rawId);
  if (!rec) return err(404, 'Training record not found');
  if (!b) return err(400, 'Malformed JSON body');
  if (typeof b.completed !== 'string' || !DAY.test(b.completed)) return err(400, 'completed is required in yyyy-mm-dd format');
  const f = parseFields(b);
  if (!f.ok) return err(400, f.message);
  Object.assign(rec, f.v, { completed: b.completed });
  return json(201, renderRecord(rec, false));
}

export function deleteTrainingRecord(state: SandboxState, rawId: string): Reply {
  const i = state.trainingRecords.findIndex((r) => String(r.id) === rawId);
  if (i < 0) return error('classic', state.switches, 404, 'Training record not found');
  state.trainingRecords.splice(i, 1);
  return { status: 200, body: '', contentType: '' };
}
