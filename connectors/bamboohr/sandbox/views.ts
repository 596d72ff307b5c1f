import { FIELD_CATALOGUE, dayStart, isoDay, isoSeconds } from './company';
import { DATE_COLUMN, EmployeeRecord, ListField, StoredRow } from './model';
import { BehaviourSwitches, TableName } from './types';

/**
 * Read-side derivations: what BambooHR shows for one stored person on a given day. Top-level job,
 * status and pay fields are the table row in effect today (or the latest, future-dated one with
 * `onlyCurrent=false`; NOTES §0 "History lives in tables").
 */
export interface ViewContext {
  nowMs: number;
  switches: BehaviourSwitches;
  lists: ListField[];
  byId: (id: number) => EmployeeRecord | undefined;
  baseUrl: string;
}

const rowDate = (table: TableName, r: StoredRow): string => String(r.values[DATE_COLUMN[table]] ?? '');

/** Rows in effective-date order (ties: the later-entered row wins). */
export function sortedRows(e: EmployeeRecord, table: TableName): StoredRow[] {
  return [...e.tables[table]].sort((a, b) => rowDate(table, a).localeCompare(rowDate(table, b)) || a.id - b.id);
}

export function currentRow(e: EmployeeRecord, table: TableName, nowMs: number, onlyCurrent: boolean): StoredRow | undefined {
  const rows = sortedRows(e, table);
  if (!onlyCurrent) return rows[rows.length - 1];
  const today = isoDay(nowMs);
  let found: StoredRow | undefined;
  for (const r of rows) if (rowDate(table, r) <= today) found = r;
  return found;
}

/** When the person last changed as `/employees/changed` sees it (fields, and table rows per the switch). */
export function lastChangedMs(e: EmployeeRecord, nowMs: number, mode: BehaviourSwitches['futureRowsChangeWhen']): number {
  let last = Math.max(e.createdAt, e.fieldsChangedAt);
  for (const table of Object.keys(e.tables) as TableName[]) {
    for (const r of e.tables[table]) {
      const eff = dayStart(rowDate(table, r));
      if (mode === 'entered') last = Math.max(last, Math.min(r.enteredAt, nowMs));
      else if (Number.isFinite(eff) && eff <= nowMs) last = Math.max(last, Math.min(nowMs, Math.max(r.enteredAt, eff)));
      else if (!Number.isFinite(eff) && r.enteredAt <= nowMs) last = Math.max(last, r.enteredAt);
    }
  }
  return last;
}

export const fullName = (e: EmployeeRecord): string => `${e.fields.firstName} ${e.fields.lastName}`.trim();

function optionId(lists: ListField[], alias: string, name: unknown): string | null {
  if (typeof name !== 'string' || !name) return null;
  const o = lists.find((l) => l.alias === alias)?.options.find((x) => x.name === name);
  return o ? String(o.id) : null;
}

/** The manager named on a jobInfo row: stored as an id, shown as a name (NOTES §12.6). */
export function managerOf(ctx: ViewContext, row: StoredRow | undefined): EmployeeRecord | undefined {
  const id = row?.values.reportsToId;
  return typeof id === 'number' ? ctx.byId(id) : undefined;
}

/** A table row as the API shows it: `{id, employeeId, …columns}` with names, not ids. */
export function renderRow(ctx: ViewContext, e: EmployeeRecord, table: TableName, r: StoredRow): Record<string, unknown> {
  const out: Record<string, unknown> = { id: String(r.id), employeeId: String(e.id) };
  for (const [k, v] of Object.entries(r.values)) {
    if (k === 'reportsToId') continue;
    out[k] = v;
  }
  if (table === 'jobInfo') {
    const m = managerOf(ctx, r);
    out.reportsTo = m ? fullName(m) : (r.values.reportsTo ?? null);
  }
  return out;
}

/** Every Get Employee alias with its value for this person (before permission filtering). */
export function employeeFields(ctx: ViewContext, e: EmployeeRecord, onlyCurrent: boolean): Record<string, unknown> {
  const f = e.fields;
  const s = ctx.switches;
  const date = (v: string) => (v ? v : s.zeroDates ? '0000-00-00' : '');
  const job = currentRow(e, 'jobInfo', ctx.nowMs, onlyCurrent)?.values ?? {};
  const jobRow = currentRow(e, 'jobInfo', ctx.nowMs, onlyCurrent);
  const st = currentRow(e, 'employmentStatus', ctx.nowMs, onlyCurrent)?.values ?? {};
  const pay = currentRow(e, 'compensation', ctx.nowMs, onlyCurrent)?.values ?? {};
  const manager = managerOf(ctx, jobRow);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const rate = pay.rate as { value: string; currency: string } | undefined;
  const photo = f.photoUploaded === 'true';
  const mgrEmployeeNumber = manager ? manager.fields.employeeNumber : '';
  const mgrId = manager ? String(manager.id) : '';
  const out: Record<string, unknown> = {
    id: String(e.id),
    employeeNumber: f.employeeNumber,
    firstName: f.firstName,
    middleName: f.middleName,
    lastName: f.lastName,
    preferredName: f.preferredName,
    displayName: `${f.preferredName || f.firstName} ${f.lastName}`.trim(),
    fullName1: fullName(e),
    fullName2: `${f.lastName}, ${f.firstName}`,
    status: f.status,
    employmentStatus: s.employmentStatusAlias === 'status' ? f.status : str(st.employmentStatus),
    employmentHistoryStatus: str(st.employmentStatus),
    terminationReasonId: st.employmentStatus === 'Terminated' ? str(st.terminationReasonId) : '',
    hireDate: date(f.hireDate),
    originalHireDate: date(f.originalHireDate),
    terminationDate: date(st.employmentStatus === 'Terminated' ? str(st.date) : ''),
    jobTitle: str(job.jobTitle),
    department: str(job.department),
    division: str(job.division),
    location: str(job.location),
    jobTitleId: optionId(ctx.lists, 'jobTitle', job.jobTitle),
    departmentId: optionId(ctx.lists, 'department', job.department),
    divisionId: optionId(ctx.lists, 'division', job.division),
    locationId: optionId(ctx.lists, 'location', job.location),
    employmentStatusId: optionId(ctx.lists, 'employmentHistoryStatus', st.employmentStatus),
    supervisor: manager ? `${manager.fields.lastName}, ${manager.fields.firstName}` : '',
    supervisorEId: s.supervisorIds === 'eid-is-id' ? mgrId : mgrEmployeeNumber,
    supervisorId: s.supervisorIds === 'eid-is-id' ? mgrEmployeeNumber : mgrId,
    reportsToId: manager ? String(manager.id) : null,
    reportsToName: manager ? fullName(manager) : null,
    workEmail: f.workEmail,
    homeEmail: f.homeEmail,
    bestEmail: f.workEmail || f.homeEmail,
    workPhone: f.workPhone,
    workPhoneExtension: f.workPhoneExtension,
    mobilePhone: f.mobilePhone,
    homePhone: f.homePhone,
    address1: f.address1,
    address2: f.address2,
    city: f.city,
    state: f.state,
    zipcode: f.zipcode,
    country: f.country,
    dateOfBirth: date(f.dateOfBirth),
    birthDate: date(f.dateOfBirth),
    gender: f.gender,
    maritalStatus: f.maritalStatus,
    marital: f.maritalStatus,
    ethnicity: f.ethnicity,
    nationality: f.nationality,
    payRate: rate ? `${rate.value} ${rate.currency}` : '',
    payType: str(pay.type),
    payPer: str(pay.paidPer),
    payPeriod: str(pay.paidPer),
    paySchedule: str(pay.paySchedule),
    payRateEffectiveDate: date(str(pay.startDate)),
    exempt: str(pay.exempt),
    standardHoursPerWeek: f.standardHoursPerWeek,
    lastChanged: isoSeconds(lastChangedMs(e, ctx.nowMs, s.futureRowsChangeWhen)),
    photoUploaded: photo,
    photoUrl: photo ? `${ctx.baseUrl}/images/photo_person_${e.id}.jpg` : `${ctx.baseUrl}/images/photo_placeholder.gif`,
    canUploadPhoto: true,
    linkedinUrl: f.linkedinUrl,
    customShirtSize: f.customShirtSize,
    customLanguages: f.customLanguages,
    customLmsUserId: f.customLmsUserId,
  };
  for (const [k, v] of Object.entries(f)) if (/^\d/.test(k)) out[k] = v;
  return out;
}

/** Requested name → the alias whose value it carries (numeric field ids resolve through `/meta/fields`). */
export function resolveFieldName(name: string): string {
  const byId = FIELD_CATALOGUE.find((m) => String(m.id) === name);
  return byId?.alias ?? name;
}

/** List-endpoint name → the Get Employee alias it exposes (for permission checks and values). */
export const LIST_FIELD_SOURCE: Record<string, string> = {
  employeeId: 'id',
  firstName: 'firstName',
  lastName: 'lastName',
  preferredName: 'preferredName',
  photoUrl: 'photoUrl',
  jobTitleName: 'jobTitle',
  status: 'status',
  workEmail: 'workEmail',
  homeEmail: 'homeEmail',
  bestEmail: 'bestEmail',
  middleName: 'middleName',
  workPhone: 'workPhone',
  workPhoneExtension: 'workPhoneExtension',
  mobilePhone: 'mobilePhone',
  homePhone: 'homePhone',
  skypeUsername: 'skypeUsername',
  linkedinUrl: 'linkedinUrl',
  facebookUrl: 'facebookUrl',
  instagramUrl: 'instagramUrl',
  twitterUrl: 'twitterUrl',
  pinterestUrl: 'pinterestUrl',
  birthDate: 'dateOfBirth',
  hireDate: 'hireDate',
  divisionName: 'division',
  divisionId: 'divisionId',
  departmentName: 'department',
  departmentId: 'departmentId',
  locationName: 'location',
  locationId: 'locationId',
  jobTitleId: 'jobTitleId',
  employmentStatusName: 'employmentHistoryStatus',
  employmentStatusId: 'employmentStatusId',
  reportsToName: 'reportsToName',
  reportsToId: 'reportsToId',
};

/** Permission key of a list field: ids share the permission of their name field. */
export const LIST_FIELD_PERMISSION: Record<string, string> = {
  jobTitleId: 'jobTitle',
  divisionId: 'division',
  departmentId: 'department',
  locationId: 'location',
  employmentStatusId: 'employmentHistoryStatus',
  reportsToName: 'supervisor',
  reportsToId: 'supervisor',
  employeeId: 'id',
};

export const DEFAULT_LIST_FIELDS = ['employeeId', 'firstName', 'lastName', 'preferredName', 'photoUrl', 'jobTitleName', 'status'];

/** One row of `GET /api/v1/employees`: empty values are `null` there (NOTES §12.2/3), hidden ones `null` + listed. */
export function listRow(ctx: ViewContext, e: EmployeeRecord, extra: string[], hidden: Set<string>): Record<string, unknown> {
  const all = employeeFields({ ...ctx, switches: { ...ctx.switches, zeroDates: false } }, e, true);
  const out: Record<string, unknown> = {};
  const restricted: string[] = [];
  for (const name of [...DEFAULT_LIST_FIELDS, ...extra]) {
    const perm = LIST_FIELD_PERMISSION[name] ?? LIST_FIELD_SOURCE[name];
    if (hidden.has(perm) || hidden.has(name)) {
      out[name] = null;
      restricted.push(name);
      continue;
    }
    const v = name === 'photoUrl' ? (e.fields.photoUploaded === 'true' ? all.photoUrl : null) : all[LIST_FIELD_SOURCE[name]];
    out[name] = v === '' || v === undefined ? null : v;
  }
  out._restrictedFields = restricted;
  return out;
}
