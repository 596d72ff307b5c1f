// Unified records → stored rows, per the storage contract (docs/sync.md): gateway
// ids for every foreign key, `data` without id/remote_id/changed_at/remote_data
// and without nested objects, and a content hash so unchanged rows are skipped.
// Pure functions: no I/O, so they are cheap to test and to run 100k times.
import type { UnifiedDocumentCategory, UnifiedEmployee, UnifiedEmployment, UnifiedGroup, UnifiedLegalEntity, UnifiedLocation } from '../../connectors/unified';
import { forgetSourceJson, sourceJson } from '../../connectors/fingerprint';
import { createHash } from 'node:crypto';
import { stableId } from '../common/ids';
import { PACKAGE_VERSION } from '../common/paths';
import { cleanInPlace, mayBeUnstorable, storableText } from './sanitize';
import type { IntegrationFilters } from '../integrations/integration.entity';
import type { RecordModel } from './models';

export interface StoredRow {
  id: string;
  remote_id: string;
  data: Record<string, unknown>;
  remote_data: unknown;
  hash: string;
  /** Values of the model's own columns (MODEL_TABLES[model].columns), by column name. */
  columns: Record<string, unknown>;
  /** data, remote_data and (employees, employments) remote_fields serialised once, for both the hash and the upsert. */
  json: { data: string; remote_data: string; remote_fields: string | null };
}

/**
 * `remoteFields`: the record's flat fields, for the models that store them. They are not
 * hashed: they derive from remote_data, which is, so rows stored before the column existed
 * (and backfilled by its migration) still compare unchanged.
 */
function row(
  id: string,
  remoteId: string,
  data: Record<string, unknown>,
  remoteData: unknown,
  columns: Record<string, unknown>,
  opts: { hashedExtra?: unknown; remoteFields?: Record<string, unknown> } = {},
): StoredRow {
  const fields = opts.remoteFields;
  const serialise = (remote: string) => ({
    data: JSON.stringify(data),
    remote_data: remote,
    remote_fields: fields === undefined ? null : JSON.stringify(fields ?? {}),
  });
  // Key order is fixed by the mappers, so the same content always hashes the same. The hash
  // only detects change (it guards nothing), so the cheaper sha1 serves.
  let json = serialise(sourceJson(remoteData));
  const storableId = storableText(remoteId);
  if (
    storableId !== remoteId ||
    mayBeUnstorable(json.data) ||
    mayBeUnstorable(json.remote_data) ||
    (json.remote_fields !== null && mayBeUnstorable(json.remote_fields))
  ) {
    // Every connector's text passes here before it is hashed and stored (see sanitize.ts).
    remoteId = storableId;
    cleanInPlace(data);
    cleanInPlace(remoteData);
    cleanInPlace(columns);
    cleanInPlace(fields);
    forgetSourceJson(remoteData); // cleaned in place: the source's remembered text is stale
    json = serialise(sourceJson(remoteData));
  }
  const hash = createHash('sha1')
    .update(json.data)
    .update('\u0000')
    .update(JSON.stringify(opts.hashedExtra ?? null))
    .update('\u0000')
    .update(json.remote_data)
    .digest('hex');
  return { id, remote_id: remoteId, data, remote_data: remoteData ?? null, hash, columns, json };
}

/**
 * stableId hashes (sha256 + base58): groups, legal entities and locations are few and
 * referenced by every employee, so their ids are remembered; a bounded map keeps memory flat.
 */
const derivedIds = new Map<string, string>();
function derivedId(integrationId: string, model: RecordModel, remoteId: string): string {
  const key = `${integrationId}\u0000${model}\u0000${remoteId}`;
  let id = derivedIds.get(key);
  if (id === undefined) {
    if (derivedIds.size >= 50_000) derivedIds.clear();
    id = stableId(integrationId, model, remoteId);
    derivedIds.set(key, id);
  }
  return id;
}

const CANONICAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A connector's date as the API serves it (ISO date-time in UTC, Kombo's format): a bare
 * calendar date is midnight UTC of that day, another parseable form is converted, and
 * what is no date at all is null rather than a value that breaks the API's schema.
 */
export function apiDateTime(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (CANONICAL_DATE_TIME.test(v)) return v;
  const t = Date.parse(CALENDAR_DATE.test(v) ? `${v}T00:00:00.000Z` : v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * What an employee row stores of its source fingerprint (UnifiedBatch.source_fingerprints):
 * the fingerprint with the gateway's version and the integration's filters, so a page is
 * taken as unchanged only by the release and under the filters that stored it — otherwise
 * every row is derived again once (a row whose content comes out the same just gets the
 * new value; nothing is reported).
 */
export function sourceHashOf(fingerprint: string | undefined, scope: string): string | null {
  return fingerprint === undefined ? null : `${scope}:${fingerprint}`;
}

/** The part of sourceHashOf that is the same for a whole page: the gateway version and the filters. */
export function sourceScope(filters: IntegrationFilters | null | undefined): string {
  const filtered = filters && Object.values(filters).some((v) => Array.isArray(v) && v.length > 0);
  return `${PACKAGE_VERSION}:${filtered ? createHash('sha1').update(canonical(filters)).digest('base64') : ''}`;
}

/** A record's gateway id: stable per (integration, model, remote id); the one place that picks stableId or the remembered derivedId per model, for the rows below and the unchanged-page check alike. */
export function recordId(integrationId: string, model: RecordModel, remoteId: string): string {
  return model === 'groups' || model === 'legal_entities' || model === 'locations'
    ? derivedId(integrationId, model, remoteId)
    : stableId(integrationId, model, remoteId);
}

/** `sourceHash`: see sourceHashOf; null when the connector gives no fingerprint. */
export function employeeRow(integrationId: string, e: UnifiedEmployee, sourceHash: string | null = null): StoredRow {
  const { remote_id, remote_data, remote_fields, manager_remote_id, legal_entity_remote_id, work_location_remote_id, group_remote_ids, ...fields } = e;
  const data = {
    ...fields,
    date_of_birth: apiDateTime(fields.date_of_birth),
    start_date: apiDateTime(fields.start_date),
    termination_date: apiDateTime(fields.termination_date),
    remote_created_at: apiDateTime(fields.remote_created_at),
    manager_id: manager_remote_id ? recordId(integrationId, 'employees', manager_remote_id) : null,
    legal_entity_id: legal_entity_remote_id ? recordId(integrationId, 'legal_entities', legal_entity_remote_id) : null,
    work_location_id: work_location_remote_id ? recordId(integrationId, 'locations', work_location_remote_id) : null,
  };
  const groupIds = [...new Set(group_remote_ids)].map((g) => recordId(integrationId, 'groups', g)).sort();
  return employeeRowOf(recordId(integrationId, 'employees', remote_id), remote_id, data, remote_data, remote_fields, groupIds, sourceHash);
}

/** An employee row from its unified data: the columns of MODEL_TABLES.employees, by name. */
function employeeRowOf(
  id: string,
  remoteId: string,
  data: Record<string, unknown>,
  remoteData: unknown,
  remoteFields: Record<string, unknown>,
  groupIds: string[],
  sourceHash: string | null,
): StoredRow {
  const { employment_status, employment_type, work_email, personal_email, legal_entity_id, work_location_id, manager_id } = data;
  const columns = {
    employment_status,
    employment_type,
    work_email,
    personal_email,
    legal_entity_id,
    work_location_id,
    manager_id,
    group_ids: groupIds,
    source_hash: sourceHash,
  };
  return row(id, remoteId, data, remoteData, columns, { hashedExtra: groupIds, remoteFields });
}

/** The group ids an employee row stores. */
export function employeeGroupIds(r: StoredRow): string[] {
  return r.columns.group_ids as string[];
}

/** The employee id an employment row stores. */
export function employmentEmployeeId(r: StoredRow): string {
  return r.columns.employee_id as string;
}

/** The employment status an employee row stores. */
export function employeeStatus(r: StoredRow): string | null {
  return (r.columns.employment_status as string | null) ?? null;
}

/** A stored employee row again, with another status: what the calendar pass writes (src/sync/calendar.ts). */
export function storedEmployeeRow(
  s: {
    id: string;
    remote_id: string;
    data: Record<string, unknown>;
    remote_data: unknown;
    remote_fields: Record<string, unknown>;
    group_ids: string[];
    source_hash: string | null;
  },
  employmentStatus: string | null,
): StoredRow {
  const data: Record<string, unknown> = { ...s.data, employment_status: employmentStatus };
  // The source is what it was: only the date moved, which the fingerprint leaves out.
  return employeeRowOf(s.id, s.remote_id, data, s.remote_data, s.remote_fields, s.group_ids, s.source_hash);
}

/** `employeeId`: the employee's gateway id when the caller has it already (saves a hash). */
export function employmentRow(integrationId: string, e: UnifiedEmployment, employeeId?: string): StoredRow {
  const { remote_id, remote_data, remote_fields, employee_remote_id, ...fields } = e;
  const data = {
    ...fields,
    effective_date: apiDateTime(fields.effective_date),
    employee_id: employeeId ?? recordId(integrationId, 'employees', employee_remote_id),
  };
  return row(
    recordId(integrationId, 'employments', remote_id),
    remote_id,
    data,
    remote_data,
    { employee_id: data.employee_id },
    { remoteFields: remote_fields },
  );
}

export function groupRow(integrationId: string, g: UnifiedGroup): StoredRow {
  const data = { name: g.name, type: g.type, parent_id: g.parent_remote_id ? recordId(integrationId, 'groups', g.parent_remote_id) : null };
  return row(recordId(integrationId, 'groups', g.remote_id), g.remote_id, data, g.remote_data, { name: g.name, type: g.type });
}

export function legalEntityRow(integrationId: string, l: UnifiedLegalEntity): StoredRow {
  const data = { name: l.name, address: l.address };
  return row(recordId(integrationId, 'legal_entities', l.remote_id), l.remote_id, data, l.remote_data, { name: l.name });
}

export function locationRow(integrationId: string, l: UnifiedLocation): StoredRow {
  const data = { name: l.name, address: l.address, type: l.type };
  return row(recordId(integrationId, 'locations', l.remote_id), l.remote_id, data, l.remote_data, { name: l.name });
}

export function documentCategoryRow(integrationId: string, c: UnifiedDocumentCategory): StoredRow {
  const data = { name: c.name };
  return row(recordId(integrationId, 'employee_document_categories', c.remote_id), c.remote_id, data, c.remote_data, { name: c.name });
}

function hasFilter(list: string[] | undefined): list is string[] {
  return Array.isArray(list) && list.length > 0;
}

/** OR within a field, AND across fields; an empty or missing field does not filter. */
export function matchesFilters(e: UnifiedEmployee, f: IntegrationFilters | null | undefined): boolean {
  if (!f) return true;
  if (hasFilter(f.legal_entity_remote_ids) && !(e.legal_entity_remote_id && f.legal_entity_remote_ids.includes(e.legal_entity_remote_id))) return false;
  if (hasFilter(f.location_remote_ids) && !(e.work_location_remote_id && f.location_remote_ids.includes(e.work_location_remote_id))) return false;
  if (hasFilter(f.group_remote_ids) && !e.group_remote_ids.some((g) => f.group_remote_ids!.includes(g))) return false;
  if (hasFilter(f.employment_statuses) && !(e.employment_status && f.employment_statuses.includes(e.employment_status))) return false;
  if (hasFilter(f.employment_types) && !(e.employment_type && f.employment_types.includes(e.employment_type))) return false;
  return true;
}

/** Canonical JSON (sorted keys): jsonb read back from Postgres does not keep key order. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

/** Unified field names whose value differs (remote_data counts as a field: integration_fields come from it). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>, remoteBefore: unknown, remoteAfter: unknown): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out = [...keys].filter((k) => canonical(before[k]) !== canonical(after[k])).sort();
  if (canonical(remoteBefore) !== canonical(remoteAfter)) out.push('remote_data');
  return out;
}
