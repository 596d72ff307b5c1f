// BambooHR employments: one per compensation row, else per jobInfo row, else
// one from the employee's current fields. Pure.
import type { UnifiedEmployee, UnifiedEmployment } from '../unified';
import { calendarDate, decimal, setField, text } from '../values';
import {
  blank,
  employeePath,
  employmentTypeAt,
  mapPayFrequency,
  mapPayPeriod,
  rowOn,
  sortRows,
  tablePath,
  type EmployeeTables,
  type StatusRules,
} from './mapping-values';
import type { BambooEmployee } from './types';

interface Pay {
  rate: number | null;
  period: string | null;
  frequency: string | null;
  currency: string | null;
}
const NO_PAY: Pay = { rate: null, period: null, frequency: null, currency: null };

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

const rowFields = (r: Record<string, unknown>) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) setField(out, k, typeof v === 'string' && v.startsWith('0000-00-00') ? null : v);
  return out;
};

/**
 * Employments (NOTES §13.2): one per compensation row, with the job title and
 * employment type in effect on its start date; without readable compensation,
 * one per jobInfo row (pay unknown); without either table, one from the
 * employee's current fields. Row ids are per employee in BambooHR's examples,
 * so the employee id is part of the remote id.
 */
export function mapEmployments(
  employeeId: string,
  raw: BambooEmployee,
  tables: EmployeeTables,
  employee: UnifiedEmployee,
  rules: StatusRules,
): UnifiedEmployment[] {
  const out: UnifiedEmployment[] = [];
  const typeOn = (day: string | null) =>
    day === null ? employee.employment_type : employmentTypeAt(tables.employmentStatus, raw.employmentHistoryStatus, day, rules);
  const titleOn = (day: string | null) => (day === null ? employee.job_title : (blank(rowOn(tables.jobInfo, 'date', day)?.jobTitle) ?? employee.job_title));
  /** One employment from the row (or inputs) it was read from, at `path`. */
  const employment = (
    remote_id: string,
    job_title: string | null,
    pay: Pay,
    employment_type: string | null,
    effective_date: string | null,
    source: Record<string, unknown>,
    path: string,
  ): UnifiedEmployment => ({
    employee_remote_id: employeeId,
    custom_fields: {},
    remote_id,
    job_title,
    pay_rate: pay.rate,
    pay_period: pay.period,
    pay_frequency: pay.frequency,
    employment_type,
    pay_currency: pay.currency,
    effective_date,
    remote_fields: rowFields(source),
    remote_data: { [path]: source },
  });
  const comp = (tables.compensation ?? []).filter((r) => text(r?.id) !== null);
  if (comp.length) {
    for (const r of sortRows(comp, 'startDate')) {
      const day = calendarDate(blank(r.startDate));
      const { rate, currency } = parseRate(r.rate);
      const pay = { rate, period: mapPayPeriod(r.paidPer), frequency: mapPayFrequency(r.paySchedule), currency };
      out.push(employment(`compensation:${employeeId}-${text(r.id)}`, titleOn(day), pay, typeOn(day), day, r, tablePath(employeeId, 'compensation')));
    }
    return out;
  }
  const jobs = (tables.jobInfo ?? []).filter((r) => text(r?.id) !== null);
  if (jobs.length) {
    for (const r of sortRows(jobs, 'date')) {
      const day = calendarDate(blank(r.date));
      out.push(employment(`jobInfo:${employeeId}-${text(r.id)}`, blank(r.jobTitle), NO_PAY, typeOn(day), day, r, tablePath(employeeId, 'jobInfo')));
    }
    return out;
  }
  // Neither table readable: the current values of get-employee, as one employment.
  const inputs: Record<string, unknown> = {};
  for (const k of ['jobTitle', 'employmentHistoryStatus', 'hireDate', 'payRate', 'payPer', 'paySchedule']) if (raw[k] !== undefined) inputs[k] = raw[k];
  const { rate, currency } = parseRate(raw.payRate);
  const pay = { rate, period: mapPayPeriod(raw.payPer), frequency: mapPayFrequency(raw.paySchedule), currency };
  out.push(employment(`employee:${employeeId}`, employee.job_title, pay, employee.employment_type, employee.start_date, inputs, employeePath(employeeId)));
  return out;
}
