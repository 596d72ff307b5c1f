import { Injectable } from '@nestjs/common';
import type { FieldKind } from '../../connectors/connector';
import { DataSource } from 'typeorm';
import { getLogger } from '../common/logger';
import { notFound } from '../common/errors';
import { stableId } from '../common/ids';
import { rowsOf } from '../database/rows';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { toGatewayError } from '../integrations/connector-errors';
import { IntegrationEntity } from '../integrations/integration.entity';
import { IntegrationsService } from '../integrations/integrations.service';
import { invalidateReadFieldConfig } from '../records/field-mapping';
import { sampleEmployeeFields } from '../records/queries';

export interface IntegrationFieldRow {
  id: string;
  key: string;
  model: string;
  type: FieldKind;
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
    const [state] = await this.ds.query(`SELECT count(*)::int AS n, max(refreshed_at) AS at FROM integration_fields WHERE integration_id = $1`, [
      integration.id,
    ]);
    if (state.n > 0 && Date.now() - new Date(state.at).getTime() < REFRESH_AFTER_MS) return;
    let attributes: Array<{ key: string; label: string | null }>;
    try {
      const ctx = this.integrations.contextFor(integration);
      attributes = await this.connectors.get(integration.tool).listAttributes(ctx);
    } catch (e) {
      this.log.warn({ integration_id: integration.id, err: toGatewayError(e).message }, 'could not read the attribute list; serving the stored one');
      if (state.n > 0) return;
      attributes = await this.keysFromSyncedRecords(integration);
      if (attributes.length === 0) throw toGatewayError(e);
    }
    await this.upsert(integration, attributes);
  }

  /** The keys of the synced employees' remote_fields, labelled where the connector finds labels in the stored records. */
  private async keysFromSyncedRecords(integration: IntegrationEntity): Promise<Array<{ key: string; label: string | null }>> {
    const connector = this.connectors.get(integration.tool);
    const labels = new Map<string, string | null>();
    for (const r of await sampleEmployeeFields(this.ds, integration.id)) {
      const named = r.remote_data && connector.fieldLabels ? connector.fieldLabels(r.remote_data) : {};
      for (const key of Object.keys(r.remote_fields ?? {})) if (!labels.get(key)) labels.set(key, named[key] ?? null);
    }
    return [...labels.keys()].sort().map((key) => ({ key, label: labels.get(key)! }));
  }

  private async upsert(integration: IntegrationEntity, attributes: Array<{ key: string; label: string | null }>): Promise<void> {
    if (!attributes.length) return;
    const integrationId = integration.id;
    const model = 'hris_employees';
    const connector = this.connectors.get(integration.tool);
    const rows = attributes.map((a) => {
      const type = connector.fieldKind(a.key);
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
    const rows = rowsOf<IntegrationFieldRow>(res);
    const row = rows[0];
    if (!row) throw notFound(`No integration field with the ID "${fieldId}" exists for this integration.`);
    invalidateReadFieldConfig(integration.id);
    return row;
  }

  async find(integrationId: string, fieldId: string): Promise<IntegrationFieldRow | null> {
    const [row] = await this.ds.query(
      `SELECT id, key, model, type, label, is_passthrough_enabled FROM integration_fields WHERE integration_id = $1 AND id = $2`,
      [integrationId, fieldId],
    );
    return row ?? null;
  }
}
