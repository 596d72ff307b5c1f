import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getLogger } from '../common/logger';
import { notFound } from '../common/errors';
import { stableId } from '../common/ids';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationsService } from '../integrations/integrations.service';
import { EMPLOYEES_REMOTE_PATH, invalidateReadFieldConfig } from './field-mapping';

export interface IntegrationFieldRow {
  id: string;
  key: string;
  model: string;
  type: 'DEFAULT' | 'CUSTOM';
  label: string | null;
  is_passthrough_enabled: boolean;
}

/** How often the attribute list is re-read from the HRIS when someone looks at it. */
const REFRESH_AFTER_MS = 15 * 60_000;

export const integrationFieldId = (integrationId: string, model: string, type: string, key: string) =>
  stableId(integrationId, 'integration_fields', `${model}\u0000${type}\u0000${key}`);

/**
 * An integration's remote attributes ("integration fields"). The list comes from
 * the connector's attribute catalogue, re-read at most every 15 minutes when it
 * is looked at; when the HRIS cannot be reached the stored list is served, and
 * before any list exists the attribute keys seen in synced records stand in.
 */
@Injectable()
export class IntegrationFieldsService {
  private readonly log = getLogger('integration-fields');

  constructor(
    private readonly ds: DataSource,
    private readonly integrations: IntegrationsService,
    private readonly connectors: ConnectorRegistry,
  ) {}

  async ensureFresh(integration: IntegrationEntity): Promise<void> {
    const [state] = await this.ds.query(`SELECT count(*)::int AS n, max(refreshed_at) AS at FROM integration_fields WHERE integration_id = $1`, [integration.id]);
    if (state.n > 0 && Date.now() - new Date(state.at).getTime() < REFRESH_AFTER_MS) return;
    let attributes: Array<{ key: string; label: string | null }>;
    try {
      const ctx = this.integrations.contextFor(integration);
      attributes = await this.connectors.get(integration.tool).listAttributes(ctx);
    } catch (e) {
      this.log.warn({ integration_id: integration.id, err: toGatewayError(e).message }, 'could not read the attribute list; serving the stored one');
      if (state.n > 0) return;
      attributes = await this.keysFromSyncedRecords(integration.id);
      if (attributes.length === 0) throw toGatewayError(e);
    }
    await this.upsert(integration.id, attributes);
  }

  private async keysFromSyncedRecords(integrationId: string): Promise<Array<{ key: string; label: string | null }>> {
    const rows: Array<{ key: string; label: string | null }> = await this.ds.query(
      `SELECT DISTINCT ON (a.key) a.key, a.value->>'label' AS label
         FROM (SELECT remote_data FROM hris_employees WHERE integration_id = $1 ORDER BY id LIMIT 200) e,
              jsonb_each(e.remote_data->'${EMPLOYEES_REMOTE_PATH}'->'attributes') a
        ORDER BY a.key`,
      [integrationId],
    );
    return rows;
  }

  private async upsert(integrationId: string, attributes: Array<{ key: string; label: string | null }>): Promise<void> {
    if (!attributes.length) return;
    const model = 'hris_employees';
    const rows = attributes.map((a) => {
      // Personio's own attributes are named; the company's custom ones are `dynamic_<n>`.
      const type = a.key.startsWith('dynamic_') ? 'CUSTOM' : 'DEFAULT';
      return { id: integrationFieldId(integrationId, model, type, a.key), key: a.key, type, label: a.label };
    });
    await this.ds.query(
      `INSERT INTO integration_fields (integration_id, id, model, key, type, label)
       SELECT $1, r.id, $2, r.key, r.type, r.label FROM jsonb_to_recordset($3::jsonb) AS r(id text, key text, type text, label text)
       ON CONFLICT (integration_id, id) DO UPDATE SET label = EXCLUDED.label, refreshed_at = now()`,
      [integrationId, model, JSON.stringify(rows)],
    );
  }

  async page(integration: IntegrationEntity, afterId: string | null, limit: number): Promise<IntegrationFieldRow[]> {
    await this.ensureFresh(integration);
    return this.ds.query(
      `SELECT id, key, model, type, label, is_passthrough_enabled FROM integration_fields
        WHERE integration_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [integration.id, afterId, limit],
    );
  }

  async setPassthrough(integration: IntegrationEntity, fieldId: string, enable: boolean | null): Promise<IntegrationFieldRow> {
    await this.ensureFresh(integration).catch(() => undefined);
    const res: unknown[] = await this.ds.query(
      `UPDATE integration_fields SET is_passthrough_enabled = coalesce($3, is_passthrough_enabled)
        WHERE integration_id = $1 AND id = $2 RETURNING id, key, model, type, label, is_passthrough_enabled`,
      [integration.id, fieldId, enable],
    );
    // UPDATE … RETURNING comes back as [rows, affected] from TypeORM's postgres driver.
    const rows = (Array.isArray(res[0]) ? res[0] : res) as IntegrationFieldRow[];
    const row = rows[0];
    if (!row) throw notFound(`No integration field with the ID "${fieldId}" exists for this integration.`);
    invalidateReadFieldConfig(integration.id);
    return row;
  }

  async find(integrationId: string, fieldId: string): Promise<IntegrationFieldRow | null> {
    const [row] = await this.ds.query(`SELECT id, key, model, type, label, is_passthrough_enabled FROM integration_fields WHERE integration_id = $1 AND id = $2`, [integrationId, fieldId]);
    return row ?? null;
  }
}
