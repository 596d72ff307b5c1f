import { effectiveLastModified, effectiveStatus } from './attributes';
import { dayToIso } from './dates';
import { employmentIdOf, isoSeconds } from './events';
import { Reply, json } from './http-util';
import { CUSTOM_ATTRIBUTES, EmployeeRecord } from './model';
import { SandboxState } from './state';
import { SandboxCredential } from './types';
import { badRequest, decodeCursor, limitParam, notFound, page, pageOf } from './v2-http';

/** v2 custom attribute types come in lower case live (V2-WEBHOOKS §2.1), though the enum is upper case. */
const V2_TYPE: Record<string, string> = {
  standard: 'string',
  multiline: 'string',
  link: 'string',
  list: 'string',
  date: 'date',
  integer: 'int',
  decimal: 'double',
  tags: 'string_list',
};

type Obj = Record<string, unknown>;

function person(state: SandboxState, c: SandboxCredential, e: EmployeeRecord): Obj {
  const ctx = state.renderContext();
  const allow = state.whitelist(c);
  const base = state.baseUrl;
  const out: Obj = { id: String(e.id) };
  if (allow('email') && e.email) out.email = e.email;
  out.created_at = isoSeconds(e.createdAt);
  out.updated_at = isoSeconds(effectiveLastModified(e, ctx));
  if (allow('first_name')) out.first_name = e.firstName;
  if (allow('last_name')) out.last_name = e.lastName;
  if (allow('preferred_name') && e.preferredName) out.preferred_name = e.preferredName;
  if (allow('gender')) out.gender = e.gender.toUpperCase();
  if (allow('profile_picture') && e.hasPicture) out.profile_picture = { url: `${base}/v1/company/employees/${e.id}/profile-picture` };
  if (allow('status')) out.status = effectiveStatus(e, ctx).status === 'inactive' ? 'INACTIVE' : 'ACTIVE';
  const custom: Obj[] = [];
  CUSTOM_ATTRIBUTES.forEach((def, i) => {
    const v = e.custom[i];
    if (!allow(def.key) || v === null || v === undefined || v === '') return;
    const value = def.type === 'date' ? dayToIso(Number(v)) : def.type === 'tags' ? String(v).split(',').filter(Boolean) : String(v);
    custom.push({ id: def.key, type: V2_TYPE[def.type], value, ...(def.universalId ? { global_id: def.universalId } : {}) });
  });
  out.custom_attributes = custom;
  out.employments = [{ id: employmentIdOf(e.id, state.options.seed) }];
  out._meta = { links: { employments: { href: `${base}/v2/persons/${e.id}/employments` } } };
  return out;
}

const V2_TERMINATION: Record<string, string> = { employee: 'EMPLOYEE', employer: 'FIRED', mutual: 'AGREEMENT' };

function employment(state: SandboxState, c: SandboxCredential, e: EmployeeRecord): Obj {
  const ctx = state.renderContext();
  const allow = state.whitelist(c);
  const co = state.store.company;
  const base = state.baseUrl;
  const out: Obj = { id: employmentIdOf(e.id, state.options.seed) };
  if (allow('status')) out.status = effectiveStatus(e, ctx).status.toUpperCase();
  if (allow('employment_type')) out.type = e.external ? 'EXTERNAL' : 'INTERNAL';
  if (allow('position') && e.position) out.position = { title: e.position };
  if (allow('weekly_working_hours')) {
    out.weekly_working_hours = Number(e.weeklyHours) || 0;
    out.full_time_weekly_working_hours = co.workSchedules[e.schedule]?.weeklyHours ?? 40;
  }
  if (allow('hire_date')) out.employment_start_date = dayToIso(e.hireDay);
  if (allow('termination_date') && e.terminationDay !== null) out.employment_end_date = dayToIso(e.terminationDay);
  if (allow('probation_period_end') && e.probationEndDay !== null) out.probation_end_date = dayToIso(e.probationEndDay);
  if (allow('contract_end_date') && e.contractEndDay !== null) out.contract_end_date = dayToIso(e.contractEndDay);
  out.created_at = isoSeconds(e.createdAt);
  out.updated_at = isoSeconds(effectiveLastModified(e, ctx));
  if (allow('supervisor') && e.supervisorId !== null && state.store.get(e.supervisorId)) out.supervisor = { id: String(e.supervisorId) };
  if (allow('office') && e.office >= 0) out.office = { id: String(co.offices[e.office].id) };
  if (allow('subcompany') && e.subcompany >= 0) {
    out.legal_entity = { id: String(co.subcompanies[e.subcompany].id) };
    out.sub_company = { id: String(co.subcompanies[e.subcompany].id) };
  }
  const units: Obj[] = [];
  if (allow('team') && e.team >= 0) units.push({ type: 'team', id: String(co.teams[e.team].id) });
  if (allow('department') && e.department >= 0) units.push({ type: 'department', id: String(co.departments[e.department].id) });
  out.org_units = units;
  if (allow('cost_centers')) {
    const cc: Obj[] = [];
    for (let i = 0; i < e.costCenters.length; i += 2) cc.push({ id: String(co.costCenters[e.costCenters[i]].id), weight: e.costCenters[i + 1] });
    out.cost_centers = cc;
  }
  out.person = { id: String(e.id) };
  if (allow('termination_date') && e.terminationDay !== null) {
    const t: Obj = { termination_date: dayToIso(e.terminationDay) };
    if (e.lastWorkingDay !== null) t.last_working_day = dayToIso(e.lastWorkingDay);
    t.type = V2_TERMINATION[e.terminationType] ?? 'UNSPECIFIED';
    if (e.terminationReason) t.reason = e.terminationReason;
    out.termination = t;
  }
  const links: Obj = { person: { href: `${base}/v2/persons/${e.id}` } };
  if (out.supervisor) links.supervisor = { href: `${base}/v2/persons/${e.supervisorId}` };
  out._meta = { links };
  return out;
}

function find(state: SandboxState, rawId: string): EmployeeRecord | undefined {
  return /^\d+$/.test(rawId) ? state.store.get(Number(rawId)) : undefined;
}

export function getPerson(state: SandboxState, c: SandboxCredential, rawId: string): Reply {
  const e = find(state, rawId);
  return e ? json(200, person(state, c, e)) : notFound();
}

function instantFilter(q: URLSearchParams, field: string): ((ms: number) => boolean) | null {
  const tests: Array<(ms: number) => boolean> = [];
  for (const [suffix, cmp] of [
    ['', (a: number, b: number) => Math.floor(a / 1000) === Math.floor(b / 1000)],
    ['.gt', (a: number, b: number) => a > b],
    ['.lt', (a: number, b: number) => a < b],
  ] as const) {
    const raw = q.get(`${field}${suffix}`);
    if (raw === null || raw === '') continue;
    const at = Date.parse(raw);
    if (Number.isNaN(at)) return null;
    tests.push((ms) => cmp(ms, at));
  }
  return (ms) => tests.every((t) => t(ms));
}

/** `GET /v2/persons`: limit 1–50 (default 10), cursor, id/email lists, names, created_at/updated_at[.gt|.lt], status. */
export function listPersons(state: SandboxState, c: SandboxCredential, path: string, q: URLSearchParams): Reply {
  const limit = limitParam(q.get('limit'), 10, 50);
  const offset = decodeCursor(q.get('cursor'));
  const created = instantFilter(q, 'created_at');
  const updated = instantFilter(q, 'updated_at');
  const status = q.get('status');
  if (limit === null || offset === null || !created || !updated || (status && !['ACTIVE', 'INACTIVE'].includes(status))) {
    return badRequest('Provided request parameters are invalid.');
  }
  for (const k of q.keys()) {
    if (/\.(gte|lte)$/.test(k) || (k.includes('.') && !/^(created_at|updated_at)\.(gt|lt)$/.test(k))) return badRequest('Provided filter encoding is invalid.');
  }
  const list = (k: string) =>
    q.get(k)
      ? new Set(
          q
            .get(k)!
            .split(',')
            .map((s) => s.trim().toLowerCase()),
        )
      : null;
  const ids = list('id');
  const emails = list('email');
  const ctx = state.renderContext();
  const eq = (k: string, v: string) => !q.get(k) || q.get(k) === v;
  const items = state.store
    .all()
    .filter(
      (e) =>
        (!ids || ids.has(String(e.id))) &&
        (!emails || emails.has(e.email.toLowerCase())) &&
        eq('first_name', e.firstName) &&
        eq('last_name', e.lastName) &&
        eq('preferred_name', e.preferredName) &&
        created(e.createdAt) &&
        updated(effectiveLastModified(e, ctx)) &&
        (!status || (effectiveStatus(e, ctx).status === 'inactive') === (status === 'INACTIVE')),
    );
  const slice = items.slice(offset, offset + limit).map((e) => person(state, c, e));
  return pageOf(slice, offset + limit < items.length ? offset + limit : null, state.baseUrl, path, q);
}

/** `GET /v2/persons/{id}/employments`: one employment per person in the sandbox. */
export function listEmployments(state: SandboxState, c: SandboxCredential, rawId: string, path: string, q: URLSearchParams): Reply {
  const e = find(state, rawId);
  if (!e) return notFound();
  const limit = limitParam(q.get('limit'), 10, 50);
  const offset = decodeCursor(q.get('cursor'));
  const updated = instantFilter(q, 'updated_at');
  if (limit === null || offset === null || !updated) return badRequest('Provided request parameters are invalid.');
  const items = [employment(state, c, e)].filter(
    (x) => updated(Date.parse(String(x.updated_at))) && (!q.get('id') || q.get('id')!.split(',').includes(String(x.id))),
  );
  return page(items, offset, limit, state.baseUrl, path, q);
}

export function getEmployment(state: SandboxState, c: SandboxCredential, rawId: string, employmentId: string): Reply {
  const e = find(state, rawId);
  if (!e || employmentIdOf(e.id, state.options.seed) !== employmentId) return notFound();
  return json(200, employment(state, c, e));
}
