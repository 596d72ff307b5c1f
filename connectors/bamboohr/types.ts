// Raw BambooHR payload shapes (reference/bamboohr/NOTES.md §4), typed loosely:
// ids arrive as strings or numbers, empty values as "", null or "0000-00-00",
// and fields the API key may not see are simply absent. The mapping treats
// everything here as untrusted.

export interface BambooCredentials {
  /** The account's subdomain (`acme` for acme.bamboohr.com), normalised by the credential spec. */
  companyDomain: string;
  apiKey: string;
}

/** GET /employees/{id}?fields=… : `id` plus one key per requested, visible field. */
export type BambooEmployee = { id?: unknown } & Record<string, unknown>;

/** A row of the cursor list GET /employees (ids and the current job relations as ids). */
export interface BambooListRow {
  employeeId?: unknown;
  _restrictedFields?: unknown;
  [field: string]: unknown;
}

export interface BambooListResponse {
  data?: BambooListRow[];
  meta?: { total?: number; page?: { limit?: number; nextCursor?: string | null; prevCursor?: string | null } };
}

/** GET /employees/changed: a map keyed by employee id, not an array. */
export interface BambooChangedResponse {
  latest?: string;
  employees?: Record<string, { id?: unknown; action?: string; lastChanged?: string }> | unknown[];
}

/** A row of a history table (`jobInfo`, `employmentStatus`, `compensation`); values are display strings. */
export type BambooTableRow = { id?: unknown; employeeId?: unknown } & Record<string, unknown>;

export type BambooTableName = 'jobInfo' | 'employmentStatus' | 'compensation';

export interface BambooListOption {
  id?: unknown;
  name?: unknown;
  archived?: unknown;
  archivedDate?: unknown;
}

/** GET /meta/lists item. */
export interface BambooListField {
  fieldId?: unknown;
  alias?: unknown;
  name?: unknown;
  options?: BambooListOption[];
}

/** GET /meta/fields item. */
export interface BambooFieldMeta {
  id?: unknown;
  name?: unknown;
  type?: unknown;
  alias?: unknown;
  deprecated?: unknown;
}

export interface BambooFileCategory {
  id?: unknown;
  name?: unknown;
  canUploadFiles?: unknown;
  files?: unknown[];
  [k: string]: unknown;
}
