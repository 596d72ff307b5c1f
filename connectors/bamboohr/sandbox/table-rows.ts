// How a table-row write is read (names for ids, "4500 EUR" rates) and which
// Get Employee fields it changes (for webhook `changedFields`).
import { EmployeeRecord } from './model';
import { TableName } from './types';
import { fullName } from './views';

/** `reportsTo` may be given as a full name (how BambooHR writes it) or as `reportsToId`. */
export function normaliseRow(employees: ReadonlyMap<number, EmployeeRecord>, table: TableName, values: Record<string, unknown>): Record<string, unknown> {
  const v = { ...values };
  if (table === 'jobInfo' && typeof v.reportsTo === 'string') {
    const m = [...employees.values()].find((x) => fullName(x) === v.reportsTo);
    if (m) {
      v.reportsToId = m.id;
      delete v.reportsTo;
    }
  }
  if (table === 'jobInfo' && v.reportsToId !== undefined && v.reportsToId !== null) v.reportsToId = Number(v.reportsToId);
  if (table === 'compensation' && typeof v.rate === 'string') {
    const [value, currency] = v.rate.split(' ');
    v.rate = { value: Number(value).toFixed(2), currency: currency ?? 'EUR' };
  }
  delete v.id;
  delete v.employeeId;
  return v;
}

/** Get Employee aliases a table column feeds (for webhook `changedFields`). */
const COLUMN_FIELDS: Record<string, string[]> = {
  location: ['location'],
  department: ['department'],
  division: ['division'],
  jobTitle: ['jobTitle'],
  reportsTo: ['supervisor'],
  reportsToId: ['supervisor'],
  employmentStatus: ['employmentHistoryStatus', 'terminationDate'],
  terminationReasonId: ['terminationReasonId'],
  rate: ['payRate'],
  type: ['payType'],
  paidPer: ['payPer'],
  paySchedule: ['paySchedule'],
  startDate: ['payRateEffectiveDate'],
  exempt: ['exempt'],
};

export function rowFields(table: TableName, values: Record<string, unknown>): string[] {
  const cols = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k)
    .filter((k) => !(table !== 'compensation' && k === 'date'));
  return [...new Set(cols.flatMap((c) => COLUMN_FIELDS[c] ?? []))];
}
