// BambooHR employee → unified records. Pure: no I/O, the clock and the
// company's lists come from the caller. Rules: docs/bamboohr-mapping.md and
// reference/bamboohr/NOTES.md §13; each has a test in mapping.spec.ts. Values
// and table rows: mapping-values.ts; employments: employments.ts.
import { calendarToday } from '../employment-status';
import type { UnifiedAddress, UnifiedEmployee, UnifiedEmployment, UnifiedGroup, UnifiedLocation } from '../unified';
import { calendarDate, decimal, email, setField, text } from '../values';
import { mapEmployments } from './employments';
import { bamboohrFieldKind } from './fields';
import {
  blank,
  countryCode,
  DEFAULT_STATUS_RULES,
  employeePath,
  employmentStatusOf,
  employmentTypeAt,
  LIST_PATH,
  mapEthnicity,
  mapGender,
  mapMaritalStatus,
  rowOn,
  type EmployeeTables,
  type StatusRules,
} from './mapping-values';
import type { OrgIndex } from './org';
import type { BambooEmployee, BambooListRow } from './types';

export * from './mapping-values';
export { mapEmployments, parseRate } from './employments';

export interface MappingContext {
  now: Date;
  org: OrgIndex;
  rules?: StatusRules;
  /** Custom field key → BambooHR type, from /meta/fields. */
  customTypes?: ReadonlyMap<string, string>;
}

function homeAddress(raw: BambooEmployee): UnifiedAddress | null {
  const street_1 = blank(raw.address1);
  const street_2 = blank(raw.address2);
  const city = blank(raw.city);
  const state = blank(raw.state);
  const zip_code = blank(raw.zipcode);
  const countryName = blank(raw.country);
  const parts = [street_1, street_2, [zip_code, city].filter(Boolean).join(' ') || null, state, countryName].filter((p): p is string => !!p);
  if (parts.length === 0) return null;
  return { city, country: countryCode(countryName), raw: parts.join(', '), state, street_1, street_2, zip_code };
}

/** A photo URL, unless BambooHR says there is no photo (its placeholder image). */
export function avatarOf(raw: BambooEmployee): string | null {
  const url = blank(raw.photoUrl);
  if (url === null) return null;
  const uploaded = raw.photoUploaded;
  if (uploaded === false || uploaded === 'false' || uploaded === 0 || uploaded === '0') return null;
  return /placeholder/i.test(url) ? null : url;
}

/** Every field BambooHR sent, flat; the empty date literal becomes null. List-only fields join those of get-employee. */
export function remoteFieldsOf(raw: BambooEmployee, row?: BambooListRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => setField(out, k, typeof v === 'string' && v.startsWith('0000-00-00') ? null : v);
  for (const [k, v] of Object.entries(row ?? {})) if (k !== '_restrictedFields' && k !== 'employeeId') put(k, v);
  for (const [k, v] of Object.entries(raw)) put(k, v);
  return out;
}

/** Custom fields (`customXxx` aliases, numeric ids), normalised by their BambooHR type. */
export function customFieldsOf(raw: BambooEmployee, types?: ReadonlyMap<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'id' || bamboohrFieldKind(k) !== 'CUSTOM') continue;
    const type = types?.get(k) ?? 'text';
    out[k] = type === 'date' ? calendarDate(blank(v)) : type === 'int' ? decimal(v) : blank(v);
  }
  return out;
}

export interface MappedBambooEmployee {
  employee: UnifiedEmployee;
  employments: UnifiedEmployment[];
  groups: UnifiedGroup[];
  location: UnifiedLocation | null;
}

/** The termination date, unless a later (re)hire date makes it history. */
function terminationOf(raw: BambooEmployee, start: string | null): string | null {
  const t = calendarDate(blank(raw.terminationDate));
  return t !== null && start !== null && t.slice(0, 10) < start.slice(0, 10) ? null : t;
}

export function mapBambooRecord(raw: BambooEmployee, row: BambooListRow | undefined, tables: EmployeeTables, ctx: MappingContext): MappedBambooEmployee {
  const remote_id = text(raw.id) ?? text(row?.employeeId);
  if (remote_id === null) throw new Error('BambooHR employee without an id cannot be mapped');
  const rules = ctx.rules ?? DEFAULT_STATUS_RULES;
  // BambooHR's dates are calendar dates of the company; no zone is shown, so the UTC day is "today".
  const today = calendarToday(ctx.now, 0);
  const job = rowOn(tables.jobInfo, 'date', today);
  const statusRow = rowOn(tables.employmentStatus, 'date', today);
  const historyStatus = blank(statusRow?.employmentStatus) ?? blank(raw.employmentHistoryStatus) ?? blank(row?.employmentStatusName);
  const first_name = blank(raw.firstName) ?? blank(row?.firstName);
  const last_name = blank(raw.lastName) ?? blank(row?.lastName);
  const preferred = blank(raw.preferredName);
  const start_date = calendarDate(blank(raw.hireDate));
  const termination_date = terminationOf(raw, start_date);
  const employment_type = employmentTypeAt(tables.employmentStatus, raw.employmentHistoryStatus, today, rules);

  // Current relations: ids from the list row, else the names of the row in effect today, else get-employee's.
  // An id and its name come from the same source (the list row names what its id means).
  const current = (k: 'department' | 'division' | 'location') => {
    const id = blank(row?.[`${k}Id`]);
    const name = blank(job?.[k]) ?? blank(raw[k]);
    return id !== null ? { id, name: blank(row?.[`${k}Name`]) ?? name } : { id: null, name: name ?? blank(row?.[`${k}Name`]) };
  };
  const [dep, div, loc] = [current('department'), current('division'), current('location')];
  const department = ctx.org.group('department', dep.id, dep.name);
  const division = ctx.org.group('division', div.id, div.name);
  const location = ctx.org.location(loc.id, loc.name);
  const groups = [department, division].filter((g): g is UnifiedGroup => g !== null);
  const manager = blank(row?.reportsToId);

  const employee: UnifiedEmployee = {
    remote_id,
    employee_number: blank(raw.employeeNumber),
    first_name,
    last_name,
    display_full_name: blank(raw.displayName) ?? ([preferred ?? first_name, last_name].filter(Boolean).join(' ') || null),
    nationality: blank(raw.nationality),
    job_title: blank(job?.jobTitle) ?? blank(raw.jobTitle) ?? blank(row?.jobTitleName),
    work_email: email(raw.workEmail),
    personal_email: email(raw.homeEmail),
    mobile_phone_number: blank(raw.mobilePhone),
    ssn: blank(raw.ssn) ?? blank(raw.sin),
    tax_id: null,
    gender: mapGender(raw.gender),
    ethnicity: mapEthnicity(raw.ethnicity),
    marital_status: mapMaritalStatus(raw.maritalStatus ?? raw.marital),
    employment_status: employmentStatusOf(historyStatus, raw.status ?? row?.status, start_date, termination_date, today, rules),
    employment_type,
    weekly_hours: decimal(raw.standardHoursPerWeek),
    avatar: avatarOf(raw),
    date_of_birth: calendarDate(blank(raw.dateOfBirth) ?? blank(raw.birthDate)),
    start_date,
    termination_date,
    remote_created_at: null,
    manager_remote_id: manager === '0' ? null : manager,
    legal_entity_remote_id: null,
    work_location_remote_id: location?.remote_id ?? null,
    group_remote_ids: groups.map((g) => g.remote_id),
    home_address: homeAddress(raw),
    bank_accounts: null,
    custom_fields: customFieldsOf(raw, ctx.customTypes),
    remote_fields: remoteFieldsOf(raw, row),
    remote_data: row ? { [employeePath(remote_id)]: raw, [LIST_PATH]: row } : { [employeePath(remote_id)]: raw },
  };
  return { employee, employments: mapEmployments(remote_id, raw, tables, employee, rules), groups, location };
}
