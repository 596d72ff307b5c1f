// BambooHR employee → unified records. Pure: no I/O, the clock and the
// company's lists come from the caller. Rules: docs/bamboohr-mapping.md and
// reference/bamboohr/NOTES.md §13; each has a test in mapping.spec.ts.
import { calendarToday, statusOnDate } from '../employment-status';
import type { UnifiedAddress, UnifiedEmployee, UnifiedEmployment, UnifiedGroup, UnifiedLocation } from '../unified';
import { calendarDate, decimal, email, text } from '../values';
import { bamboohrFieldKind } from './fields';
import type { OrgIndex } from './org';
import type { BambooEmployee, BambooListRow, BambooTableName, BambooTableRow } from './types';

export const employeePath = (id: string) => `/v1/employees/${id}`;
export const LIST_PATH = '/v1/employees';
export const tablePath = (id: string, table: BambooTableName) => `/v1/employees/${id}/tables/${table}`;

export interface StatusRules {
  /** `employmentStatus` values that mean the person has left (account-defined; default `Terminated`). */
  terminated: string[];
  /** Values that mean leave (account-defined; default `Leave of Absence`, `Furloughed`). */
  leave: string[];
}

export const DEFAULT_STATUS_RULES: StatusRules = { terminated: ['Terminated'], leave: ['Leave of Absence', 'Furloughed'] };

export interface MappingContext {
  now: Date;
  org: OrgIndex;
  rules?: StatusRules;
  /** Custom field key → BambooHR type, from /meta/fields. */
  customTypes?: ReadonlyMap<string, string>;
}

/** An employee's rows of the three history tables; null = the table could not be read. */
export interface EmployeeTables {
  jobInfo: BambooTableRow[] | null;
  employmentStatus: BambooTableRow[] | null;
  compensation: BambooTableRow[] | null;
}

export const NO_TABLES: EmployeeTables = { jobInfo: null, employmentStatus: null, compensation: null };

/** BambooHR's empty values: "", null, "0000-00-00" → null. */
export function blank(v: unknown): string | null {
  const t = text(v);
  return t === null || t.startsWith('0000-00-00') ? null : t;
}

const key = (v: string) => v.toLowerCase().replace(/[^a-z]/g, '');
function enumOrRaw(v: unknown, table: Record<string, string>): string | null {
  const t = blank(v);
  return t === null ? null : (table[key(t)] ?? t);
}

const GENDERS: Record<string, string> = { male: 'MALE', female: 'FEMALE', nonbinary: 'NON_BINARY', declinetoanswer: 'NOT_SPECIFIED', notspecified: 'NOT_SPECIFIED' };
const ETHNICITIES: Record<string, string> = {
  white: 'WHITE', asian: 'ASIAN', hispanicorlatino: 'HISPANIC_LATINO', blackorafricanamerican: 'BLACK_AFRICAN_AMERICAN',
  nativehawaiianorotherpacificislander: 'HAWAIIAN', americanindianoralaskanative: 'NATIVE_AMERICAN', twoormoreraces: 'MULTIPLE_ETHNICITIES',
  declinetoanswer: 'DECLINE_TO_SPECIFY', declinetospecify: 'DECLINE_TO_SPECIFY', declinetoselfidentify: 'DECLINE_TO_SPECIFY',
};
const MARITAL: Record<string, string> = { single: 'SINGLE', married: 'MARRIED', domesticpartnership: 'DOMESTIC_PARTNERSHIP', widowed: 'WIDOWED', divorced: 'DIVORCED', separated: 'SEPARATED' };
const TYPES: Record<string, string> = {
  fulltime: 'FULL_TIME', parttime: 'PART_TIME', contractor: 'CONTRACT', contract: 'CONTRACT', intern: 'INTERNSHIP', internship: 'INTERNSHIP', freelance: 'FREELANCE', freelancer: 'FREELANCE',
};
const PERIODS: Record<string, string> = { hour: 'HOUR', day: 'DAY', week: 'WEEK', month: 'MONTH', quarter: 'QUARTER', year: 'YEAR' };
const FREQUENCIES: Record<string, string> = {
  weekly: 'WEEKLY', biweekly: 'BIWEEKLY', everyotherweek: 'BIWEEKLY', semimonthly: 'SEMIMONTHLY', twiceamonth: 'SEMIMONTHLY', monthly: 'MONTHLY', quarterly: 'QUARTERLY', annually: 'ANNUALLY', yearly: 'ANNUALLY',
};

export const mapGender = (v: unknown) => enumOrRaw(v, GENDERS);
export const mapEthnicity = (v: unknown) => enumOrRaw(v, ETHNICITIES);
export const mapMaritalStatus = (v: unknown) => enumOrRaw(v, MARITAL);
export const mapPayPeriod = (v: unknown) => enumOrRaw(v, PERIODS);
export const mapPayFrequency = (v: unknown) => enumOrRaw(v, FREQUENCIES);

const inList = (v: string | null, list: readonly string[]) => v !== null && list.some((x) => key(x) === key(v));

/** Rows sorted by effective date (BambooHR returns them unsorted), then by row id. */
export function sortRows(rows: BambooTableRow[], dateKey: string): BambooTableRow[] {
  const num = (v: unknown) => Number(text(v) ?? NaN);
  return rows
    .filter((r) => r && typeof r === 'object')
    .map((r) => ({ r, d: calendarDate(blank(r[dateKey])) ?? '' }))
    .sort((a, b) => (a.d < b.d ? -1 : a.d > b.d ? 1 : (num(a.r.id) || 0) - (num(b.r.id) || 0)))
    .map((x) => x.r);
}

/** The row in effect on `day` (latest dated ≤ day); before the first row, the first one (a future hire's). */
export function rowOn(rows: BambooTableRow[] | null, dateKey: string, day: string): BambooTableRow | null {
  if (!rows || rows.length === 0) return null;
  const sorted = sortRows(rows, dateKey);
  let found: BambooTableRow | null = null;
  for (const r of sorted) {
    const d = calendarDate(blank(r[dateKey]));
    if (d !== null && d.slice(0, 10) <= day.slice(0, 10)) found = r;
  }
  return found ?? sorted[0];
}

/**
 * Full-Time → FULL_TIME etc.; account-defined labels pass through. A terminated or
 * leave row is a state, not a type: the type of the last row before it counts.
 */
export function employmentTypeAt(rows: BambooTableRow[] | null, fallback: unknown, day: string, rules: StatusRules): string | null {
  const sorted = rows && rows.length ? sortRows(rows, 'date') : [];
  const current = rowOn(sorted, 'date', day);
  if (!current) {
    const f = blank(fallback);
    return f === null || inList(f, rules.terminated) || inList(f, rules.leave) ? null : enumOrRaw(f, TYPES);
  }
  for (let i = sorted.indexOf(current); i >= 0; i--) {
    const v = blank(sorted[i].employmentStatus);
    if (v !== null && !inList(v, rules.terminated) && !inList(v, rules.leave)) return enumOrRaw(v, TYPES);
  }
  return null;
}

/**
 * BambooHR's own say, before the dates: a current `Terminated` row (one not dated after
 * the termination date), or `status: Inactive` → INACTIVE; a leave row → LEAVE; else
 * ACTIVE; null when the key can see neither. statusOnDate (shared with every connector
 * and the sync engine) then lets the hire and termination dates win.
 */
export function employmentStatusOf(
  historyStatus: string | null,
  status: unknown,
  startDate: string | null,
  terminationDate: string | null,
  today: string,
  rules: StatusRules,
): string | null {
  const state = blank(status)?.toLowerCase() ?? null;
  let own: string | null = null;
  const terminationAhead = terminationDate !== null && terminationDate.slice(0, 10) > today.slice(0, 10);
  if (inList(historyStatus, rules.terminated) && !terminationAhead) own = 'INACTIVE';
  else if (state === 'inactive') own = 'INACTIVE';
  else if (inList(historyStatus, rules.leave)) own = 'LEAVE';
  else if (historyStatus !== null || state === 'active') own = 'ACTIVE';
  return statusOnDate(own, startDate, terminationDate, today);
}

let countryCodes: Map<string, string> | null = null;
/** English country name → ISO 3166-1 alpha-2 (BambooHR stores names); unknown names are kept. */
export function countryCode(v: unknown): string | null {
  const t = blank(v);
  if (t === null) return null;
  if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
  if (!countryCodes) {
    countryCodes = new Map();
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const name = names.of(code);
        if (name && name !== code) countryCodes.set(name.toLowerCase(), code);
      }
    }
    for (const [alias, code] of [['united states of america', 'US'], ['usa', 'US'], ['england', 'GB'], ['great britain', 'GB']] as const) countryCodes.set(alias, code);
  }
  return countryCodes.get(t.toLowerCase()) ?? t;
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
  const put = (k: string, v: unknown) => (out[k] = typeof v === 'string' && v.startsWith('0000-00-00') ? null : v);
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

/** `4500.00 USD`, `{value, currency}` or a number → rate and currency; 0 and blanks are unknown. */
export function parseRate(v: unknown): { rate: number | null; currency: string | null } {
  if (v && typeof v === 'object') {
    const o = v as { value?: unknown; currency?: unknown };
    const rate = decimal(o.value);
    return { rate: rate !== null && rate > 0 ? rate : null, currency: blank(o.currency)?.toUpperCase() ?? null };
  }
  const t = blank(v);
  if (t === null) return { rate: null, currency: null };
  const m = /^([A-Za-z]{3})?\s*([-+\d.,\s']+?)\s*([A-Za-z]{3})?$/.exec(t);
  const rate = m ? decimal(m[2]) : decimal(t);
  const currency = (m?.[3] ?? m?.[1])?.toUpperCase() ?? null;
  return { rate: rate !== null && rate > 0 ? rate : null, currency };
}

const rowFields = (r: BambooTableRow) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'string' && v.startsWith('0000-00-00') ? null : v;
  return out;
};

/**
 * Employments (NOTES §13.2): one per compensation row, with the job title and
 * employment type in effect on its start date; without readable compensation,
 * one per jobInfo row (pay unknown); without either table, one from the
 * employee's current fields. Row ids are per employee in BambooHR's examples,
 * so the employee id is part of the remote id.
 */
export function mapEmployments(employeeId: string, raw: BambooEmployee, tables: EmployeeTables, employee: UnifiedEmployee, rules: StatusRules): UnifiedEmployment[] {
  const out: UnifiedEmployment[] = [];
  const typeOn = (day: string | null) => (day === null ? employee.employment_type : employmentTypeAt(tables.employmentStatus, raw.employmentHistoryStatus, day, rules));
  const titleOn = (day: string | null) => (day === null ? employee.job_title : (blank(rowOn(tables.jobInfo, 'date', day)?.jobTitle) ?? employee.job_title));
  const base = { employee_remote_id: employeeId, custom_fields: {} };
  const comp = (tables.compensation ?? []).filter((r) => text(r?.id) !== null);
  if (comp.length) {
    for (const r of sortRows(comp, 'startDate')) {
      const day = calendarDate(blank(r.startDate));
      const { rate, currency } = parseRate(r.rate);
      out.push({
        ...base,
        remote_id: `compensation:${employeeId}-${text(r.id)}`,
        job_title: titleOn(day),
        pay_rate: rate,
        pay_period: mapPayPeriod(r.paidPer),
        pay_frequency: mapPayFrequency(r.paySchedule),
        employment_type: typeOn(day),
        pay_currency: currency,
        effective_date: day,
        remote_fields: rowFields(r),
        remote_data: { [tablePath(employeeId, 'compensation')]: r },
      });
    }
    return out;
  }
  const jobs = (tables.jobInfo ?? []).filter((r) => text(r?.id) !== null);
  if (jobs.length) {
    for (const r of sortRows(jobs, 'date')) {
      const day = calendarDate(blank(r.date));
      out.push({
        ...base,
        remote_id: `jobInfo:${employeeId}-${text(r.id)}`,
        job_title: blank(r.jobTitle),
        pay_rate: null,
        pay_period: null,
        pay_frequency: null,
        employment_type: typeOn(day),
        pay_currency: null,
        effective_date: day,
        remote_fields: rowFields(r),
        remote_data: { [tablePath(employeeId, 'jobInfo')]: r },
      });
    }
    return out;
  }
  // Neither table readable: the current values of get-employee, as one employment.
  const inputs: Record<string, unknown> = {};
  for (const k of ['jobTitle', 'employmentHistoryStatus', 'hireDate', 'payRate', 'payPer', 'paySchedule']) if (raw[k] !== undefined) inputs[k] = raw[k];
  const { rate, currency } = parseRate(raw.payRate);
  out.push({
    ...base,
    remote_id: `employee:${employeeId}`,
    job_title: employee.job_title,
    pay_rate: rate,
    pay_period: mapPayPeriod(raw.payPer),
    pay_frequency: mapPayFrequency(raw.paySchedule),
    employment_type: employee.employment_type,
    pay_currency: currency,
    effective_date: employee.start_date,
    remote_fields: rowFields(inputs),
    remote_data: { [employeePath(employeeId)]: inputs },
  });
  return out;
}
