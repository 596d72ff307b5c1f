// Personio v1 employee → unified records. Pure: no I/O, the clock comes from
// the caller. Rules are documented in docs/personio-mapping.md; each has a
// test in mapping.spec.ts.
import { calendarToday, statusOnDate } from '../employment-status';
import type { UnifiedAddress, UnifiedBankAccount, UnifiedEmployee, UnifiedEmployment, UnifiedGroup, UnifiedLegalEntity, UnifiedLocation } from '../unified';
import { EMPLOYEES_PATH, EmployeeAttributes, nestedId, personioEmployeeId } from './attributes';
import {
  legalEntityRemoteIdOf,
  locationRemoteIdOf,
  mapPersonioEmployment,
  mapPersonioGroups,
  mapPersonioLegalEntity,
  mapPersonioLocation,
} from './mapping-org';
import type { PersonioEmployee } from './types';
import { calendarDate, decimal, email, instant, offsetOf, parseUtcOffset, tags, text } from '../values';

export interface MappingContext {
  now: Date;
  /** The Personio account's UTC offset ("+01:00" or minutes); else read from the employee's own dates. */
  utcOffset?: string | number;
}

const GENDERS: Record<string, string> = { male: 'MALE', female: 'FEMALE', diverse: 'NON_BINARY' };
const STATUSES: Record<string, string> = { onboarding: 'PENDING', active: 'ACTIVE', leave: 'LEAVE', inactive: 'INACTIVE' };
const MARITAL: Record<string, string> = { single: 'SINGLE', married: 'MARRIED', divorced: 'DIVORCED', widowed: 'WIDOWED', separated: 'SEPARATED' };
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Weekly hours at or above which an internal employee counts as full time (35 h covers German collective agreements). */
export const FULL_TIME_WEEKLY_HOURS = 35;

/** Maps a known value (case-insensitive), passes other text through, "" → null. */
function enumOrRaw(v: unknown, table: Record<string, string>): string | null {
  const t = text(v);
  return t === null ? null : (table[t.toLowerCase()] ?? t);
}

function accountOffset(at: EmployeeAttributes, ctx: MappingContext): number {
  if (typeof ctx.utcOffset === 'number') return ctx.utcOffset;
  return parseUtcOffset(ctx.utcOffset) ?? offsetShown(at) ?? 0;
}

/** The account's UTC offset as an employee's timestamps show it, or null when they show none. */
export function offsetShownBy(raw: PersonioEmployee): number | null {
  return offsetShown(new EmployeeAttributes(raw));
}

const OFFSET_SOURCES = ['last_modified_at', 'created_at', 'hire_date'];
function offsetShown(at: EmployeeAttributes): number | null {
  for (const k of OFFSET_SOURCES) {
    const o = offsetOf(at.value(k));
    if (o !== null) return o;
  }
  return null;
}

/** Hours of a Personio work schedule ("08:00" per weekday), or null when it has none. */
function scheduleHours(schedule: unknown): number | null {
  const a = schedule && typeof schedule === 'object' ? (schedule as { attributes?: Record<string, unknown> }).attributes : undefined;
  if (!a) return null;
  let total = 0;
  let seen = false;
  for (const day of WEEKDAYS) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(text(a[day]) ?? '');
    if (!m) continue;
    seen = true;
    total += Number(m[1]) + Number(m[2]) / 60;
  }
  return seen ? Math.round(total * 100) / 100 : null;
}

/**
 * Personio v1 only says internal/external. External staff become CONTRACT
 * (Personio cannot tell freelancers from agency contractors, and CONTRACT is
 * the broader of the two). Internal staff are FULL_TIME or PART_TIME, from the
 * work schedule's name when it says so, else from the weekly hours.
 */
export function employmentTypeOf(kind: unknown, schedule: unknown, weeklyHours: number | null): string | null {
  if (text(kind)?.toLowerCase() === 'external') return 'CONTRACT';
  const name = text((schedule as { attributes?: { name?: unknown } } | null)?.attributes?.name) ?? '';
  if (/full[\s-]?time|vollzeit/i.test(name)) return 'FULL_TIME';
  if (/part[\s-]?time|teilzeit/i.test(name)) return 'PART_TIME';
  if (weeklyHours === null || weeklyHours <= 0) return null;
  return weeklyHours >= FULL_TIME_WEEKLY_HOURS ? 'FULL_TIME' : 'PART_TIME';
}

/**
 * Personio's status lags behind the contract (HR flips it by hand), so the dates
 * win (statusOnDate, shared by every connector and the sync engine). Personio's
 * status maps onboarding/active/leave/inactive → PENDING/ACTIVE/LEAVE/INACTIVE.
 */
export function employmentStatusOf(status: unknown, startDate: string | null, terminationDate: string | null, todayIso: string): string | null {
  return statusOnDate(enumOrRaw(status, STATUSES), startDate, terminationDate, todayIso);
}

function homeAddress(at: EmployeeAttributes): UnifiedAddress | null {
  const street_1 = text(at.byUniversalId(['address_street', 'street']));
  const street_2 = text(at.byUniversalId(['address_street_2', 'address_addition']));
  const zip_code = text(at.byUniversalId(['address_zip_code', 'address_zip', 'zip_code']));
  const city = text(at.byUniversalId(['address_city', 'city']));
  const state = text(at.byUniversalId(['address_state', 'state']));
  const country = text(at.byUniversalId(['address_country', 'country']));
  const parts = [street_1, street_2, [zip_code, city].filter(Boolean).join(' ') || null, state, country].filter((p): p is string => !!p);
  if (parts.length === 0) return null;
  return { city, country, raw: parts.join(', '), state, street_1, street_2, zip_code };
}

function bankAccounts(at: EmployeeAttributes): UnifiedBankAccount[] | null {
  const iban = text(at.byUniversalId(['iban']));
  const bic = text(at.byUniversalId(['bic']));
  if (iban === null && bic === null) return null;
  return [{ iban: iban?.replace(/\s+/g, '') ?? null, bic, account_number: null, holder_name: null, bank_name: null, domestic_bank_routing: null }];
}

/** Custom (`dynamic_*`) attributes, normalised by their Personio type. */
export function customFieldsOf(raw: PersonioEmployee, offsetMinutes: number): Record<string, unknown> {
  return customFields(new EmployeeAttributes(raw), offsetMinutes);
}

function customFields(at: EmployeeAttributes, offsetMinutes: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of at.customKeys) {
    const a = at.all[key];
    if (!a || typeof a !== 'object') continue;
    out[key] = customValue(a.value, a.type, offsetMinutes);
  }
  return out;
}

export function customValue(v: unknown, type: string | undefined, offsetMinutes: number): unknown {
  switch (type) {
    case 'date':
      return calendarDate(v, offsetMinutes);
    case 'integer':
    case 'decimal':
      return decimal(v);
    case 'tags':
      return tags(v);
    default:
      // list, link, multiline, standard: text. A multi-line value keeps its line breaks.
      return text(v);
  }
}

/** The groups' remote ids, each once, in order (a handful: a list beats a Set here). */
function distinctRemoteIds(groups: UnifiedGroup[]): string[] {
  const ids: string[] = [];
  for (const g of groups) if (!ids.includes(g.remote_id)) ids.push(g.remote_id);
  return ids;
}

export function mapPersonioEmployee(raw: PersonioEmployee, ctx: MappingContext): UnifiedEmployee {
  return employeeOf(raw, new EmployeeAttributes(raw), mapPersonioGroups(raw), ctx);
}

/** The employee from its attributes read once (`at`) and its groups, which mapPersonioRecord also returns. */
function employeeOf(raw: PersonioEmployee, at: EmployeeAttributes, groups: UnifiedGroup[], ctx: MappingContext): UnifiedEmployee {
  const remote_id = personioEmployeeId(raw);
  if (remote_id === null) throw new Error('Personio employee without an id cannot be mapped');
  const offset = accountOffset(at, ctx);
  const first_name = text(at.value('first_name'));
  const last_name = text(at.value('last_name'));
  const weekly_hours = decimal(at.value('weekly_working_hours')) ?? scheduleHours(at.value('work_schedule'));
  const start_date = calendarDate(at.value('hire_date'), offset);
  // A fixed-term contract that runs out ends employment just like a termination.
  const termination_date = calendarDate(at.value('termination_date'), offset) ?? calendarDate(at.value('contract_end_date'), offset);
  return {
    remote_id,
    employee_number: text(at.byUniversalId(['employee_number', 'personnel_number'])),
    first_name,
    last_name,
    display_full_name: text(at.value('preferred_name')) ?? ([first_name, last_name].filter(Boolean).join(' ') || null),
    nationality: text(at.byUniversalId(['nationality'])),
    job_title: text(at.value('position')),
    work_email: email(at.value('email')),
    personal_email: email(at.byUniversalId(['private_email', 'personal_email'])),
    mobile_phone_number: text(at.byUniversalId(['mobile_phone', 'mobile_phone_number', 'phone'])),
    ssn: text(at.byUniversalId(['social_security_number', 'ssn'])),
    tax_id: text(at.byUniversalId(['tax_id'])),
    gender: enumOrRaw(at.value('gender'), GENDERS),
    ethnicity: null,
    marital_status: enumOrRaw(at.byUniversalId(['marital_status']), MARITAL),
    employment_status: employmentStatusOf(at.value('status'), start_date, termination_date, calendarToday(ctx.now, offset)),
    employment_type: employmentTypeOf(at.value('employment_type'), at.value('work_schedule'), weekly_hours),
    weekly_hours,
    avatar: text(at.value('profile_picture')),
    date_of_birth: calendarDate(at.byUniversalId(['date_of_birth', 'birthday']), offset),
    start_date,
    termination_date,
    remote_created_at: instant(at.value('created_at')),
    manager_remote_id: nestedId(at.value('supervisor')),
    legal_entity_remote_id: legalEntityRemoteIdOf(raw),
    work_location_remote_id: locationRemoteIdOf(raw),
    group_remote_ids: distinctRemoteIds(groups),
    home_address: homeAddress(at),
    bank_accounts: bankAccounts(at),
    custom_fields: customFields(at, offset),
    remote_fields: at.remoteFields(),
    remote_data: { [EMPLOYEES_PATH]: raw },
  };
}

export interface MappedPersonioEmployee {
  employee: UnifiedEmployee;
  employment: UnifiedEmployment;
  groups: UnifiedGroup[];
  legal_entity: UnifiedLegalEntity | null;
  location: UnifiedLocation | null;
}

/** Everything one Personio employee contributes to a batch. */
export function mapPersonioRecord(raw: PersonioEmployee, ctx: MappingContext): MappedPersonioEmployee {
  const groups = mapPersonioGroups(raw);
  const employee = employeeOf(raw, new EmployeeAttributes(raw), groups, ctx);
  return {
    employee,
    employment: mapPersonioEmployment(raw, employee),
    groups,
    legal_entity: mapPersonioLegalEntity(raw),
    location: mapPersonioLocation(raw),
  };
}

export { employmentRemoteId, groupRemoteId, mapPersonioEmployment, mapPersonioGroups, mapPersonioLegalEntity, mapPersonioLocation } from './mapping-org';
