// Which BambooHR fields the connector asks for, and which of them are the
// company's own. BambooHR returns only the fields named in `fields=` (at most
// 400 per request, NOTES §4.2), so the list is built from /meta/fields: the
// standard aliases the mapping reads plus every custom field.
import type { BambooFieldMeta } from './types';
import { ADDRESS_FIELDS } from './address-fields';
import { text } from '../values';

/** Fields get-employee documents for every account (spec GetEmployeeResponse): always requested. */
export const CORE_FIELDS = [
  'firstName',
  'lastName',
  'preferredName',
  'status',
  'workEmail',
  'homeEmail',
  'mobilePhone',
  'hireDate',
  'originalHireDate',
  'terminationDate',
  'photoUrl',
] as const;

/**
 * Further standard aliases the mapping reads (NOTES §7); requested only when /meta/fields
 * lists them, because an alias the account does not have could fail the whole request.
 */
export const MAPPED_FIELDS = [
  'employeeNumber',
  'displayName',
  'jobTitle',
  'department',
  'division',
  'location',
  'employmentHistoryStatus',
  'dateOfBirth',
  'gender',
  'ethnicity',
  'maritalStatus',
  'nationality',
  'ssn',
  'sin',
  'standardHoursPerWeek',
  'photoUploaded',
  ...ADDRESS_FIELDS,
  'lastChanged',
  'payRate',
  'payPer',
  'paySchedule',
  'payType',
] as const;

/** BambooHR's per-request limit on `fields`. */
export const MAX_FIELDS_PER_REQUEST = 400;

/**
 * Custom fields carry an alias starting with `custom` (`customShirtSize`) when
 * the company gave them one, else they are addressed by numeric id (`4388`,
 * sub-fields `4020.1`); standard fields have camelCase aliases (NOTES §7, §8).
 * UNVERIFIED: a standard field without an alias would also count as custom.
 */
export function bamboohrFieldKind(key: string): 'DEFAULT' | 'CUSTOM' {
  return /^custom[A-Z0-9_]/.test(key) || /^\d+(\.\d+)*$/.test(key) ? 'CUSTOM' : 'DEFAULT';
}

/** The key a field is requested and returned by: its alias, else its id. */
export function fieldKey(f: BambooFieldMeta): string | null {
  return text(f?.alias) ?? text(f?.id);
}

export interface FieldPlan {
  /** Every field to request, ≤ 400. */
  request: string[];
  /** Custom field key → BambooHR type (`date`, `int`, `text`…). */
  customTypes: Map<string, string>;
  /** Custom fields left out because of the 400-field limit. */
  dropped: string[];
}

/** The fields to request, given /meta/fields (null when it could not be read). */
export function planFields(meta: BambooFieldMeta[] | null): FieldPlan {
  const customTypes = new Map<string, string>();
  if (meta === null) return { request: [...CORE_FIELDS, ...MAPPED_FIELDS], customTypes, dropped: [] };
  const known = new Set<string>();
  for (const f of meta) {
    const key = fieldKey(f);
    if (key === null || f.deprecated === true || f.deprecated === 'yes') continue;
    known.add(key);
    if (bamboohrFieldKind(key) === 'CUSTOM') customTypes.set(key, text(f.type) ?? 'text');
  }
  const standard = [...CORE_FIELDS, ...MAPPED_FIELDS.filter((k) => known.has(k))];
  const room = MAX_FIELDS_PER_REQUEST - standard.length;
  const custom = [...customTypes.keys()];
  const dropped = custom.slice(room);
  for (const k of dropped) customTypes.delete(k);
  return { request: [...standard, ...custom.slice(0, room)], customTypes, dropped };
}

/** Extra fields of the cursor list: the current job relations as ids (get-employee only has names). */
export const LIST_FIELDS = [
  'departmentId',
  'departmentName',
  'divisionId',
  'divisionName',
  'locationId',
  'locationName',
  'reportsToId',
  'employmentStatusName',
];
