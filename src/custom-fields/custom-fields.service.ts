import { Injectable } from '@nestjs/common';
import type { FieldKind } from '../../connectors/connector';
import { DataSource } from 'typeorm';
import { GatewayError, inputInvalid, notFound } from '../common/errors';
import { randomId } from '../common/ids';
import { rowsOf } from '../database/rows';
import { IntegrationEntity } from '../integrations/integration.entity';
import { CreateCustomFieldDto } from './custom-fields.dto';
import { invalidateReadFieldConfig } from '../records/field-mapping';
import { IntegrationFieldsService } from './integration-fields.service';

export interface CustomFieldView {
  id: string;
  key: string;
  integration_field: { id: string; key: string; type: FieldKind; label: string | null } | null;
  model: string;
  label: string | null;
  description: string | null;
}

interface Row {
  id: string;
  key: string;
  model: string;
  label: string | null;
  description: string | null;
  f_id: string | null;
  f_key: string | null;
  f_type: FieldKind | null;
  f_label: string | null;
}

const toView = (r: Row): CustomFieldView => ({
  id: r.id,
  key: r.key,
  integration_field: r.f_id ? { id: r.f_id, key: r.f_key!, type: r.f_type!, label: r.f_label } : null,
  model: r.model,
  label: r.label,
  description: r.description,
});

const SELECT = `SELECT cf.id, cf.key, cf.model, cf.label, cf.description, f.id AS f_id, f.key AS f_key, f.type AS f_type, f.label AS f_label
   FROM custom_fields cf
   LEFT JOIN custom_field_mappings m ON m.custom_field_id = cf.id AND m.integration_id = $2
   LEFT JOIN integration_fields f ON f.integration_id = m.integration_id AND f.id = m.integration_field_id`;

/**
 * The environment's custom fields (defined once, used by every integration) and
 * their mapping per integration to a remote attribute. Records carry values
 * under the remote key; the read API renames them with this mapping.
 */
@Injectable()
export class CustomFieldsService {
  constructor(
    private readonly ds: DataSource,
    private readonly fields: IntegrationFieldsService,
  ) {}

  async create(environmentId: string, dto: CreateCustomFieldDto): Promise<CustomFieldView> {
    const id = randomId();
    const rows = await this.ds.query(
      `INSERT INTO custom_fields (id, environment_id, model, key, label, description) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (environment_id, model, key) DO NOTHING RETURNING id`,
      [id, environmentId, dto.model, dto.key, dto.label ?? null, dto.description ?? null],
    );
    if (!rows.length) throw new GatewayError('PLATFORM.CONFLICT', `A custom field "${dto.key}" already exists on ${dto.model}.`);
    invalidateReadFieldConfig();
    return (await this.get(environmentId, null, id))!;
  }

  async remove(environmentId: string, id: string): Promise<void> {
    const res = await this.ds.query(`DELETE FROM custom_fields WHERE environment_id = $1 AND id = $2 RETURNING id`, [environmentId, id]);
    const rows = rowsOf(res);
    if (!rows.length) throw notFound(`No custom field with the ID "${id}" exists in this environment.`);
    invalidateReadFieldConfig();
  }

  async get(environmentId: string, integrationId: string | null, id: string): Promise<CustomFieldView | null> {
    const [row] = await this.ds.query(`${SELECT} WHERE cf.environment_id = $1 AND cf.id = $3`, [environmentId, integrationId, id]);
    return row ? toView(row) : null;
  }

  async page(environmentId: string, integrationId: string | null, afterId: string | null, limit: number): Promise<CustomFieldView[]> {
    const rows: Row[] = await this.ds.query(`${SELECT} WHERE cf.environment_id = $1 AND ($3::text IS NULL OR cf.id > $3) ORDER BY cf.id LIMIT $4`, [
      environmentId,
      integrationId,
      afterId,
      limit,
    ]);
    return rows.map(toView);
  }

  /** Maps (or with null unmaps) one custom field to one of the integration's fields. */
  async map(integration: IntegrationEntity, customFieldId: string, integrationFieldId: string | null): Promise<CustomFieldView> {
    const existing = await this.get(integration.environmentId, integration.id, customFieldId);
    if (!existing) throw notFound(`No custom field with the ID "${customFieldId}" exists in this environment.`);
    if (integrationFieldId === null) {
      await this.ds.query(`DELETE FROM custom_field_mappings WHERE integration_id = $1 AND custom_field_id = $2`, [integration.id, customFieldId]);
    } else {
      await this.fields.ensureFresh(integration).catch(() => undefined);
      const field = await this.fields.find(integration.id, integrationFieldId);
      if (!field)
        throw inputInvalid(
          `Invalid input: integration_field_id "${integrationFieldId}" is not a field of this integration (see GET /integrations/{id}/integration-fields).`,
        );
      if (field.model !== existing.model)
        throw inputInvalid(`Invalid input: integration_field_id belongs to ${field.model}, the custom field to ${existing.model}.`);
      await this.ds.query(
        `INSERT INTO custom_field_mappings (integration_id, custom_field_id, integration_field_id) VALUES ($1, $2, $3)
         ON CONFLICT (integration_id, custom_field_id) DO UPDATE SET integration_field_id = EXCLUDED.integration_field_id, updated_at = now()`,
        [integration.id, customFieldId, integrationFieldId],
      );
    }
    invalidateReadFieldConfig(integration.id);
    return (await this.get(integration.environmentId, integration.id, customFieldId))!;
  }
}
