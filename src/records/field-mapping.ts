import type { EntityManager, DataSource } from 'typeorm';
import type { FieldKind } from '../../connectors/connector';
import type { CustomFieldModel } from './models';

/**
 * How synced records get their `custom_fields` and `integration_fields` at read
 * time. Records store the connector's values keyed by the REMOTE attribute
 * (`dynamic_123`); the environment defines its own keys (`tshirt_size`) and
 * maps them per integration to a remote field; integration fields with
 * passthrough enabled are copied from the record's flat remote_fields.
 */

export interface MappedCustomField {
  model: CustomFieldModel;
  key: string;
  /** The remote attribute it is mapped to in this integration, if any. */
  remote: { key: string; type: FieldKind } | null;
}

export interface PassthroughField {
  id: string;
  model: string;
  key: string;
  type: FieldKind;
  label: string | null;
}

export interface ReadFieldConfig {
  customFields: MappedCustomField[];
  passthrough: PassthroughField[];
}

/**
 * Read on every employee/employment page, so kept for one second per integration:
 * writes in this process invalidate it at once (invalidateReadFieldConfig), other
 * gateway processes see a mapping change within a second.
 */
const CACHE_MS = 1000;
const cache = new Map<string, { at: number; config: Promise<ReadFieldConfig> }>();

export function invalidateReadFieldConfig(integrationId?: string): void {
  if (integrationId) cache.delete(integrationId);
  else cache.clear();
}

export function loadReadFieldConfig(db: DataSource | EntityManager, environmentId: string, integrationId: string): Promise<ReadFieldConfig> {
  const hit = cache.get(integrationId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
  const config = queryReadFieldConfig(db, environmentId, integrationId);
  cache.set(integrationId, { at: Date.now(), config });
  config.catch(() => cache.delete(integrationId));
  if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
  return config;
}

/** One round trip for both lists. */
async function queryReadFieldConfig(db: DataSource | EntityManager, environmentId: string, integrationId: string): Promise<ReadFieldConfig> {
  const rows: Array<{
    kind: string;
    id: string | null;
    model: string;
    key: string;
    remote_key: string | null;
    remote_type: string | null;
    label: string | null;
  }> = await db.query(
    `SELECT 'cf' AS kind, NULL::text AS id, cf.model, cf.key, f.key AS remote_key, f.type AS remote_type, NULL::text AS label
       FROM custom_fields cf
       LEFT JOIN custom_field_mappings m ON m.custom_field_id = cf.id AND m.integration_id = $2
       LEFT JOIN integration_fields f ON f.integration_id = m.integration_id AND f.id = m.integration_field_id
      WHERE cf.environment_id = $1
     UNION ALL
     SELECT 'if', f.id, f.model, f.key, f.key, f.type, f.label
       FROM integration_fields f WHERE f.integration_id = $2 AND f.is_passthrough_enabled
     ORDER BY 1, 4`,
    [environmentId, integrationId],
  );
  const config: ReadFieldConfig = { customFields: [], passthrough: [] };
  for (const r of rows) {
    if (r.kind === 'cf') {
      config.customFields.push({
        model: r.model as CustomFieldModel,
        key: r.key,
        remote: r.remote_key ? { key: r.remote_key, type: r.remote_type as FieldKind } : null,
      });
    } else {
      config.passthrough.push({ id: r.id!, model: r.model, key: r.key, type: r.remote_type as FieldKind, label: r.label });
    }
  }
  return config;
}

/** True when a read of this model must load remote_fields to fill its custom and integration fields. */
export function needsRemoteFields(config: ReadFieldConfig, model: CustomFieldModel): boolean {
  return config.passthrough.some((f) => f.model === model) || config.customFields.some((c) => c.model === model && c.remote?.type === 'DEFAULT');
}

/**
 * A record's value under an HRIS key, or null: its own property only. The keys are the HRIS's,
 * and one such as "__proto__" or "constructor" must not read Object.prototype when the record
 * lacks it.
 */
function valueOf(fields: Record<string, unknown> | null | undefined, key: string): unknown {
  return fields && Object.hasOwn(fields, key) ? (fields[key] ?? null) : null;
}

/** The record's custom_fields under the environment's keys; unmapped or missing values are null. */
export function mapCustomFields(
  config: ReadFieldConfig,
  model: CustomFieldModel,
  stored: Record<string, unknown> | null | undefined,
  remoteFields: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const cf of config.customFields) {
    if (cf.model !== model) continue;
    if (!cf.remote) out[cf.key] = null;
    else if (cf.remote.type === 'CUSTOM' && stored && Object.hasOwn(stored, cf.remote.key)) out[cf.key] = valueOf(stored, cf.remote.key);
    else out[cf.key] = valueOf(remoteFields, cf.remote.key);
  }
  return out;
}

export function integrationFieldValues(config: ReadFieldConfig, model: string, remoteFields: Record<string, unknown>) {
  return config.passthrough
    .filter((f) => f.model === model)
    .map((f) => ({ id: f.id, key: f.key, type: f.type, value: valueOf(remoteFields, f.key), label: f.label }));
}
