/**
 * The synced models the read API serves: their table, the Kombo fields taken
 * from `data` (an explicit list, so a field the sync adds to `data` never leaks
 * into a response the SDK validates), and their model-specific filters.
 */
export type HrisModel = 'employees' | 'employments' | 'groups' | 'legal_entities' | 'locations' | 'employee_document_categories';

export interface ModelDef {
  table: string;
  /** Fields copied from `data` (null when absent). */
  fields: string[];
  /** Has a `name` column for `name_contains`. */
  named?: boolean;
}

export const EMPLOYEE_DATA_FIELDS = [
  'employee_number', 'first_name', 'last_name', 'nationality', 'display_full_name', 'job_title', 'work_email', 'personal_email',
  'mobile_phone_number', 'ssn', 'tax_id', 'gender', 'ethnicity', 'marital_status', 'employment_status', 'employment_type',
  'weekly_hours', 'avatar', 'home_address', 'bank_accounts', 'date_of_birth', 'start_date', 'termination_date', 'remote_created_at',
];

export const EMPLOYMENT_DATA_FIELDS = ['job_title', 'pay_rate', 'pay_period', 'pay_frequency', 'employment_type', 'pay_currency', 'effective_date'];

export const MODELS: Record<HrisModel, ModelDef> = {
  employees: { table: 'hris_employees', fields: EMPLOYEE_DATA_FIELDS },
  employments: { table: 'hris_employments', fields: EMPLOYMENT_DATA_FIELDS },
  groups: { table: 'hris_groups', fields: ['name', 'type', 'parent_id'], named: true },
  legal_entities: { table: 'hris_legal_entities', fields: ['name', 'address'], named: true },
  locations: { table: 'hris_locations', fields: ['name', 'address', 'type'], named: true },
  employee_document_categories: { table: 'hris_document_categories', fields: ['name'], named: true },
};

/** A timestamptz column as Kombo writes date-times (`2024-01-31T12:00:00.000Z`), inside SQL-built JSON. */
export const isoSql = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export function pick(data: Record<string, unknown> | null, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = data?.[f] ?? null;
  return out;
}

export const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
