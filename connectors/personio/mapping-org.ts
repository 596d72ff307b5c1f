// Records derived from an employee's nested objects: groups (department,
// team, cost centers), legal entity (subcompany), location (office) and the
// employee's one employment. Personio v1 has no list endpoints for these, so
// they exist only as seen on employees.
import type { UnifiedEmployment, UnifiedGroup, UnifiedGroupType, UnifiedLegalEntity, UnifiedLocation } from '../unified';
import { EMPLOYEES_PATH, attrs, isNested, nestedId, nestedList, nestedName, personioEmployeeId, remoteFields, value } from './attributes';
import type { PersonioEmployee, PersonioNestedObject } from './types';
import { decimal, text } from '../values';

/**
 * Personio numbers departments, teams and cost centers independently, so
 * department 7 and team 7 can both exist. Group remote ids are therefore
 * qualified by kind: `department:7`, `team:7`, `cost_center:7`.
 */
export function groupRemoteId(type: UnifiedGroupType, personioId: string): string {
  return `${GROUP_PREFIX[type]}:${personioId}`;
}

const GROUP_PREFIX: Record<UnifiedGroupType, string> = { DEPARTMENT: 'department', TEAM: 'team', COST_CENTER: 'cost_center' };

/**
 * Personio v1 exposes only the current contract, so each employee has exactly
 * one employment, identified by the employee: `employment:<employee id>`.
 */
export function employmentRemoteId(employeeId: string): string {
  return `employment:${employeeId}`;
}

/** Offices and subcompanies are documented with only a name; fall back to it as id. */
function orgRemoteId(obj: PersonioNestedObject): string | null {
  const id = nestedId(obj);
  if (id !== null) return id;
  const name = nestedName(obj);
  return name === null ? null : `name:${name}`;
}

/**
 * The raw data of a record derived from an employee holds only facts of that record
 * (its id and name). The nested object also carries facts of the employee's link to it
 * (a cost center's `percentage`): kept, they would make the record's content hash
 * depend on which employee happened to be read, and every sync would "change" it.
 */
function ownFacts(obj: PersonioNestedObject): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const k of ['id', 'name']) if (obj.attributes?.[k] !== undefined) attributes[k] = obj.attributes[k];
  return { [EMPLOYEES_PATH]: obj.type === undefined ? { attributes } : { type: obj.type, attributes } };
}

function group(obj: PersonioNestedObject, type: UnifiedGroupType): UnifiedGroup | null {
  const id = nestedId(obj);
  if (id === null) return null;
  // Hierarchy (team → department) is not in the v1 payload.
  return { remote_id: groupRemoteId(type, id), name: nestedName(obj), type, parent_remote_id: null, remote_data: ownFacts(obj) };
}

export function mapPersonioGroups(raw: PersonioEmployee): UnifiedGroup[] {
  const out: UnifiedGroup[] = [];
  for (const [key, type] of GROUP_SOURCES) {
    for (const obj of nestedList(value(raw, key))) {
      const g = group(obj, type);
      if (g !== null) out.push(g);
    }
  }
  return out;
}

const GROUP_SOURCES: ReadonlyArray<[string, UnifiedGroupType]> = [
  ['department', 'DEPARTMENT'],
  ['team', 'TEAM'],
  ['cost_centers', 'COST_CENTER'],
];

export function mapPersonioLegalEntity(raw: PersonioEmployee): UnifiedLegalEntity | null {
  const v = value(raw, 'subcompany');
  if (!isNested(v)) return null;
  const remote_id = orgRemoteId(v);
  return remote_id === null ? null : { remote_id, name: nestedName(v), address: null, remote_data: ownFacts(v) };
}

export function mapPersonioLocation(raw: PersonioEmployee): UnifiedLocation | null {
  const v = value(raw, 'office');
  if (!isNested(v)) return null;
  const remote_id = orgRemoteId(v);
  return remote_id === null ? null : { remote_id, name: nestedName(v), address: null, type: null, remote_data: ownFacts(v) };
}

/** Remote id of the legal entity / location an employee belongs to (same rule as above). */
export function legalEntityRemoteIdOf(raw: PersonioEmployee): string | null {
  const v = value(raw, 'subcompany');
  return isNested(v) ? orgRemoteId(v) : null;
}
export function locationRemoteIdOf(raw: PersonioEmployee): string | null {
  const v = value(raw, 'office');
  return isNested(v) ? orgRemoteId(v) : null;
}

const INTERVALS: Record<string, { period: string; frequency: string }> = {
  hourly: { period: 'HOUR', frequency: 'DAILY' },
  daily: { period: 'DAY', frequency: 'DAILY' },
  weekly: { period: 'WEEK', frequency: 'WEEKLY' },
  monthly: { period: 'MONTH', frequency: 'MONTHLY' },
  quarterly: { period: 'QUARTER', frequency: 'QUARTERLY' },
  yearly: { period: 'YEAR', frequency: 'ANNUALLY' },
  annually: { period: 'YEAR', frequency: 'ANNUALLY' },
};

// Attributes that feed the employment; its remote_data holds only these so its
// content hash does not change on every unrelated employee edit.
const EMPLOYMENT_INPUTS = [
  'position',
  'employment_type',
  'weekly_working_hours',
  'work_schedule',
  'hire_date',
  'fix_salary',
  'fix_salary_interval',
  'hourly_salary',
];

function pay(raw: PersonioEmployee): Pick<UnifiedEmployment, 'pay_rate' | 'pay_period' | 'pay_frequency' | 'pay_currency'> {
  const all = attrs(raw);
  const fix = all.fix_salary;
  const fixRate = decimal(fix?.value);
  // Personio reports 0 for "no salary of this kind", so 0 means unknown here.
  if (fixRate !== null && fixRate > 0) {
    const interval = text(value(raw, 'fix_salary_interval'))?.toLowerCase() ?? null;
    const known = interval ? INTERVALS[interval] : undefined;
    return { pay_rate: fixRate, pay_period: known?.period ?? interval, pay_frequency: known?.frequency ?? null, pay_currency: text(fix?.currency) };
  }
  const hourly = all.hourly_salary;
  const hourlyRate = decimal(hourly?.value);
  if (hourlyRate !== null && hourlyRate > 0) {
    return { pay_rate: hourlyRate, pay_period: 'HOUR', pay_frequency: null, pay_currency: text(hourly?.currency) };
  }
  return { pay_rate: null, pay_period: null, pay_frequency: null, pay_currency: null };
}

/** Built from the already-mapped employee so both agree on title, type and dates. */
export function mapPersonioEmployment(
  raw: PersonioEmployee,
  employee: { remote_id: string; job_title: string | null; employment_type: string | null; start_date: string | null },
): UnifiedEmployment {
  const id = personioEmployeeId(raw) ?? employee.remote_id;
  const all = attrs(raw);
  const attributes: Record<string, unknown> = { id: all.id };
  for (const k of EMPLOYMENT_INPUTS) if (all[k] !== undefined) attributes[k] = all[k];
  const source = { type: 'Employee', attributes } as PersonioEmployee;
  return {
    remote_id: employmentRemoteId(id),
    employee_remote_id: employee.remote_id,
    job_title: employee.job_title,
    ...pay(raw),
    employment_type: employee.employment_type,
    effective_date: employee.start_date,
    custom_fields: {},
    remote_fields: remoteFields(source),
    remote_data: { [EMPLOYEES_PATH]: source },
  };
}
