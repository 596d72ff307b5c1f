// The unified models and their tables: the one map every query of this module uses.
// The model list itself is the connector contract's (UNIFIED_MODELS), so a model is
// named in one place; the records module adds where and how each is stored.
import type { UnifiedModel } from '../../connectors/connector';

export type RecordModel = UnifiedModel;
import { EMPLOYEE_DATA_FIELDS, EMPLOYMENT_DATA_FIELDS } from '../../connectors/unified';
export { EMPLOYEE_DATA_FIELDS, EMPLOYMENT_DATA_FIELDS };

/** The models that carry custom fields, by their Kombo model id (the API's `model` values). */
export const CUSTOM_FIELD_MODELS = ['hris_employees', 'hris_employments'] as const;
export type CustomFieldModel = (typeof CUSTOM_FIELD_MODELS)[number];

export interface ModelTable {
  table: string;
  /** Model-specific columns a row carries besides id, remote_id, data, remote_data and the hash. */
  columns: readonly string[];
  /** Postgres types of those columns, for json_to_recordset(). */
  types: readonly string[];
  /** The Kombo fields the read API takes from `data` (an explicit list, so a field the sync adds to `data` never leaks into a response). */
  fields: readonly string[];
  /** Has a `name` column for `name_contains`. */
  named: boolean;
  /** Has the flat `remote_fields` column (custom fields, integration fields and filters read it). */
  remoteFields: boolean;
}

export const MODEL_TABLES: Record<RecordModel, ModelTable> = {
  employees: {
    table: 'hris_employees',
    columns: [
      'employment_status',
      'employment_type',
      'work_email',
      'personal_email',
      'legal_entity_id',
      'work_location_id',
      'manager_id',
      'group_ids',
      'source_hash',
    ],
    types: ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text[]', 'text'],
    fields: EMPLOYEE_DATA_FIELDS,
    named: false,
    remoteFields: true,
  },
  employments: { table: 'hris_employments', columns: ['employee_id'], types: ['text'], fields: EMPLOYMENT_DATA_FIELDS, named: false, remoteFields: true },
  groups: { table: 'hris_groups', columns: ['name', 'type'], types: ['text', 'text'], fields: ['name', 'type', 'parent_id'], named: true, remoteFields: false },
  legal_entities: { table: 'hris_legal_entities', columns: ['name'], types: ['text'], fields: ['name', 'address'], named: true, remoteFields: false },
  locations: { table: 'hris_locations', columns: ['name'], types: ['text'], fields: ['name', 'address', 'type'], named: true, remoteFields: false },
  employee_document_categories: { table: 'hris_document_categories', columns: ['name'], types: ['text'], fields: ['name'], named: true, remoteFields: false },
};

/** The columns an upsert writes besides id, remote_id, data, remote_data and the hash, with their Postgres types. */
export function writtenColumns(t: ModelTable): Array<{ name: string; type: string }> {
  const own = t.columns.map((name, i) => ({ name, type: t.types[i] }));
  return t.remoteFields ? [...own, { name: 'remote_fields', type: 'jsonb' }] : own;
}

/** Order of writes inside a page: what others point at first (ids are deterministic, so this is for readers' sake). */
export const PAGE_MODELS = ['legal_entities', 'locations', 'groups', 'employees', 'employments'] as const;
export type PageModel = (typeof PAGE_MODELS)[number];

/** Fields of an employee that other employees show nested as `manager` (Kombo's GET /hris/employees). */
export const MANAGER_VISIBLE_FIELDS = [
  'first_name',
  'last_name',
  'display_full_name',
  'employee_number',
  'work_email',
  'employment_status',
  'termination_date',
];
