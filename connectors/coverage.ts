// The unified models a full HRIS connector reads, with the fields it fills in
// each: every connector fills the secondary models the same way, so only the
// employee fields and the models a tool lacks differ.
import type { ToolInfo, UnifiedModel } from './connector';
import { EMPLOYEE_DATA_FIELDS } from './unified';

const SECONDARY_FIELDS = {
  employments: ['employee_id', 'job_title', 'pay_rate', 'pay_period', 'pay_frequency', 'employment_type', 'pay_currency', 'effective_date', 'remote_data'],
  groups: ['name', 'type', 'remote_data'],
  legal_entities: ['name', 'remote_data'],
  locations: ['name', 'remote_data'],
  employee_document_categories: ['name', 'remote_data'],
} satisfies Partial<Record<UnifiedModel, string[]>>;

/** The employee fields a connector fills: every unified one (facts, references, custom fields, raw data) but those it cannot. */
export function employeeCoverageFields(without: string[] = []): string[] {
  return [...EMPLOYEE_DATA_FIELDS, 'manager_id', 'legal_entity_id', 'work_location_id', 'groups', 'custom_fields', 'remote_data'].filter(
    (f) => !without.includes(f),
  );
}

/** Read coverage: employees with `employeeFields`, the secondary models with their standard fields; `without` are not read. */
export function hrisReadCoverage(employeeFields: string[], opts: { without?: Array<keyof typeof SECONDARY_FIELDS> } = {}): ToolInfo['coverage']['read'] {
  const read: ToolInfo['coverage']['read'] = { employees: { read: true, fields: employeeFields } };
  for (const [model, fields] of Object.entries(SECONDARY_FIELDS) as Array<[keyof typeof SECONDARY_FIELDS, string[]]>) {
    read[model] = opts.without?.includes(model) ? { read: false, fields: [] } : { read: true, fields: [...fields] };
  }
  return read;
}
