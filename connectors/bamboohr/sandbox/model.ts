import type { TableName } from './types';

/** One table row with the moment it was entered (for `lastChanged` and the changed-tables endpoint). */
export interface StoredRow {
  id: number;
  enteredAt: number;
  values: Record<string, unknown>;
}

/**
 * One simulated person. `fields` holds the stored top-level values (strings, '' = empty) under their
 * Get Employee aliases; job, status and pay values live only in `tables` and are derived per read.
 */
export interface EmployeeRecord {
  id: number;
  fields: Record<string, string>;
  /** Manager per jobInfo row is stored as an id (`reportsToId`) and rendered as a name on read. */
  tables: Record<TableName, StoredRow[]>;
  createdAt: number;
  /** Last change of a top-level field (table rows carry their own enteredAt). */
  fieldsChangedAt: number;
}

export const TABLES: readonly TableName[] = ['jobInfo', 'employmentStatus', 'compensation'];

/** The effective-date column of each table. */
export const DATE_COLUMN: Record<TableName, string> = { jobInfo: 'date', employmentStatus: 'date', compensation: 'startDate' };

/** Columns per table (display strings, not ids, as BambooHR returns them; NOTES §4.5). */
export const TABLE_COLUMNS: Record<TableName, string[]> = {
  jobInfo: ['date', 'location', 'department', 'division', 'jobTitle', 'reportsTo'],
  employmentStatus: ['date', 'employmentStatus', 'comment', 'terminationReasonId', 'terminationTypeId', 'terminationRehireId', 'terminationRegrettableId'],
  compensation: ['startDate', 'rate', 'type', 'exempt', 'reason', 'comment', 'paidPer', 'paySchedule'],
};

export interface ListOption {
  id: number;
  name: string;
  archived: boolean;
  createdDate: string | null;
  archivedDate: string | null;
}

export interface ListField {
  fieldId: number;
  alias: string;
  name: string;
  manageable: boolean;
  multiple: boolean;
  options: ListOption[];
}

export interface LocationInfo {
  /** `/hris/org/locations` id (equals the list option id unless the switch says otherwise). */
  id: string;
  optionId: number;
  label: string;
  address1: string | null;
  address2: string | null;
  city: string | null;
  zipcode: string | null;
  state: { id: string; name: string; abbreviation: string } | null;
  country: { id: string; name: string; isoCode: string } | null;
  timezone: string | null;
  remote: boolean;
  archived: boolean;
  createdAt: string;
  archivedAt: string | null;
}

export interface FileCategory {
  id: number;
  name: string;
  canUploadFiles: boolean;
  canRename: boolean;
  displayIfEmpty: boolean;
}

/** `/meta/fields` entry; `alias` absent for fields that only have a numeric id. */
export interface FieldMeta {
  id: number | string;
  name: string;
  type: string;
  alias?: string;
  deprecated?: boolean;
}
