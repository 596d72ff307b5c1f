// The WHERE clause of a read API list request (src/records/reads.ts), from its query parameters.
import { inputInvalid } from '../common/errors';
import type { ReadFieldConfig } from './field-mapping';
import { MODEL_TABLES, RecordModel } from './models';

/** Positional parameters for one statement. */
export class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The list parameters of every read endpoint (src/hris/list-query.dto.ts validates them); lists are comma-separated. */
export interface AnyListQuery {
  cursor?: string;
  page_size?: number;
  updated_after?: string;
  include_deleted?: string;
  ignore_unsupported_filters?: string;
  ids?: string;
  remote_ids?: string;
  name_contains?: string;
  types?: string;
  employment_status?: string;
  employment_statuses?: string;
  group_ids?: string;
  legal_entity_ids?: string;
  work_location_ids?: string;
  work_emails?: string;
  personal_emails?: string;
  custom_fields?: string;
}

/** A comma-separated parameter as its values (blank ones dropped); undefined when absent. */
export function splitCsv(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * The WHERE clause of a list request over alias `t`: top-level filters AND,
 * values inside one filter OR (Kombo's rule). Returns null when a filter can
 * never match (an unsupported filter without `ignore_unsupported_filters`).
 */
export function buildConditions(model: RecordModel, integrationId: string, q: AnyListQuery, fields: ReadFieldConfig, p: Params): string[] | null {
  const def = MODEL_TABLES[model];
  const where = [`t.integration_id = ${p.add(integrationId)}`];
  if (q.include_deleted !== 'true') where.push('t.remote_deleted_at IS NULL');
  if (q.updated_after !== undefined) {
    const at = new Date(q.updated_after);
    if (Number.isNaN(at.getTime())) throw inputInvalid('Invalid input: updated_after is not a valid date-time.');
    const ph = p.add(at);
    // Employees also count as updated when their employments changed (Kombo's nested rule);
    // changes of manager, groups, legal entity and location already move the employee's changed_at.
    where.push(
      model === 'employees'
        ? `(t.changed_at > ${ph} OR EXISTS (SELECT 1 FROM hris_employments em WHERE em.integration_id = t.integration_id AND em.employee_id = t.id AND em.changed_at > ${ph}))`
        : `t.changed_at > ${ph}`,
    );
  }
  const list = (v: string | undefined) => splitCsv(v);
  const ids = list(q.ids);
  if (ids) where.push(`t.id = ANY(${p.add(ids)}::text[])`);
  const remoteIds = list(q.remote_ids);
  if (remoteIds) where.push(`t.remote_id = ANY(${p.add(remoteIds)}::text[])`);
  if (def.named && q.name_contains !== undefined) {
    where.push(`t.name ILIKE ${p.add('%' + q.name_contains.replace(/[\\%_]/g, (c) => '\\' + c) + '%')}`);
  }
  if (model === 'groups') {
    const types = list(q.types);
    if (types) {
      const named = types.filter((v) => v !== 'null');
      const ors = [...(named.length ? [`t.type = ANY(${p.add(named)}::text[])`] : []), ...(types.includes('null') ? ['t.type IS NULL'] : [])];
      // `types=` lists no type: nothing matches (as `ids=`), rather than an empty `()` in the SQL.
      where.push(ors.length ? `(${ors.join(' OR ')})` : 'false');
    }
  }
  if (model === 'employees') {
    const statuses = [...(list(q.employment_statuses) ?? []), ...(q.employment_status ? [q.employment_status] : [])];
    if (q.employment_statuses !== undefined || q.employment_status !== undefined) where.push(`t.employment_status = ANY(${p.add(statuses)}::text[])`);
    const groups = list(q.group_ids);
    if (groups) where.push(`t.group_ids && ${p.add(groups)}::text[]`);
    const legal = list(q.legal_entity_ids);
    if (legal) where.push(`t.legal_entity_id = ANY(${p.add(legal)}::text[])`);
    const locations = list(q.work_location_ids);
    if (locations) where.push(`t.work_location_id = ANY(${p.add(locations)}::text[])`);
    const work = list(q.work_emails);
    if (work) where.push(`lower(t.work_email) = ANY(${p.add(work.map((e) => e.toLowerCase()))}::text[])`);
    const personal = list(q.personal_emails);
    if (personal) where.push(`lower(t.personal_email) = ANY(${p.add(personal.map((e) => e.toLowerCase()))}::text[])`);
    if (q.custom_fields !== undefined) {
      const cond = customFieldCondition(q.custom_fields, fields, p);
      if (cond === null) {
        if (q.ignore_unsupported_filters !== 'true') return null;
      } else where.push(cond);
    }
  }
  return where;
}

/** `{"key": value}`: the environment's custom field key, matched against the mapped remote attribute. */
function customFieldCondition(raw: string, fields: ReadFieldConfig, p: Params): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw inputInvalid('Invalid input: custom_fields must be a JSON object such as {"tshirt_size":"M"}.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length !== 1) {
    throw inputInvalid('Invalid input: custom_fields must be a JSON object with exactly one key, such as {"tshirt_size":"M"}.');
  }
  const [[key, value]] = Object.entries(parsed as Record<string, unknown>);
  if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
    throw inputInvalid(`Invalid input: custom_fields value for "${key}" must be a string, number, boolean or null.`);
  }
  const cf = fields.customFields.find((c) => c.model === 'hris_employees' && c.key === key);
  if (!cf) throw inputInvalid(`Invalid input: custom_fields names "${key}", which is not a custom field of employees in this environment.`);
  if (!cf.remote) return null; // not mapped for this integration: unsupported here
  const remoteKey = p.add(cf.remote.key);
  const expr = cf.remote.type === 'CUSTOM' ? `t.data->'custom_fields'->${remoteKey}` : `t.remote_fields->${remoteKey}`;
  if (value === null) return `(${expr} IS NULL OR ${expr} = 'null'::jsonb)`;
  return `${expr} = ${p.add(JSON.stringify(value))}::jsonb`;
}
