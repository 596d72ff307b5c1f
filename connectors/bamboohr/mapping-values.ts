// Values and history-table rows of BambooHR as the mapping reads them: blanks,
// enum labels, rows in effect on a day, employment type and status. Pure.
import { statusOnDate } from '../employment-status';
import { calendarDate, text } from '../values';
import type { BambooTableName, BambooTableRow } from './types';

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

const GENDERS: Record<string, string> = {
  male: 'MALE',
  female: 'FEMALE',
  nonbinary: 'NON_BINARY',
  declinetoanswer: 'NOT_SPECIFIED',
  notspecified: 'NOT_SPECIFIED',
};
const ETHNICITIES: Record<string, string> = {
  white: 'WHITE',
  asian: 'ASIAN',
  hispanicorlatino: 'HISPANIC_LATINO',
  blackorafricanamerican: 'BLACK_AFRICAN_AMERICAN',
  nativehawaiianorotherpacificislander: 'HAWAIIAN',
  americanindianoralaskanative: 'NATIVE_AMERICAN',
  twoormoreraces: 'MULTIPLE_ETHNICITIES',
  declinetoanswer: 'DECLINE_TO_SPECIFY',
  declinetospecify: 'DECLINE_TO_SPECIFY',
  declinetoselfidentify: 'DECLINE_TO_SPECIFY',
};
const MARITAL: Record<string, string> = {
  single: 'SINGLE',
  married: 'MARRIED',
  domesticpartnership: 'DOMESTIC_PARTNERSHIP',
  widowed: 'WIDOWED',
  divorced: 'DIVORCED',
  separated: 'SEPARATED',
};
const TYPES: Record<string, string> = {
  fulltime: 'FULL_TIME',
  parttime: 'PART_TIME',
  contractor: 'CONTRACT',
  contract: 'CONTRACT',
  intern: 'INTERNSHIP',
  internship: 'INTERNSHIP',
  freelance: 'FREELANCE',
  freelancer: 'FREELANCE',
};
const PERIODS: Record<string, string> = { hour: 'HOUR', day: 'DAY', week: 'WEEK', month: 'MONTH', quarter: 'QUARTER', year: 'YEAR' };
const FREQUENCIES: Record<string, string> = {
  weekly: 'WEEKLY',
  biweekly: 'BIWEEKLY',
  everyotherweek: 'BIWEEKLY',
  semimonthly: 'SEMIMONTHLY',
  twiceamonth: 'SEMIMONTHLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  annually: 'ANNUALLY',
  yearly: 'ANNUALLY',
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
    for (const [alias, code] of [
      ['united states of america', 'US'],
      ['usa', 'US'],
      ['england', 'GB'],
      ['great britain', 'GB'],
    ] as const)
      countryCodes.set(alias, code);
  }
  return countryCodes.get(t.toLowerCase()) ?? t;
}
