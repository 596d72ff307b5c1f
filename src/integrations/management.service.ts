import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectorRegistry } from './connector-registry';
import { getLogger } from '../common/logger';
import { InboundSubscriptions } from '../inbound/subscriptions.service';
import { SyncService } from '../sync/sync.service';
import { readModelCoverage, writeActionCoverage } from '../tools/coverage';
import { enqueueEvent } from '../webhooks/outbox';
import { IntegrationEntity } from './integration.entity';
import { endUserOf, transition } from './lifecycle';

/**
 * Integration management over the API: details, delete, enable/disable.
 * Deleting and disabling first cancel a running sync, so no run keeps writing
 * (or scheduling) for an integration the LMS has let go of.
 */
@Injectable()
export class IntegrationManagementService {
  private readonly log = getLogger('integrations');

  constructor(
    private readonly ds: DataSource,
    private readonly sync: SyncService,
    private readonly subscriptions: InboundSubscriptions,
    private readonly connectors: ConnectorRegistry,
  ) {}

  /** The integration as stored now (after a change made through another path). */
  async reload(i: IntegrationEntity): Promise<IntegrationEntity> {
    return (await this.ds.getRepository(IntegrationEntity).findOneBy({ id: i.id })) ?? i;
  }

  details(i: IntegrationEntity) {
    const tool = this.connectors.get(i.tool).tool;
    const available = (status: string) => status === 'SUPPORTED';
    return {
      id: i.id,
      tool: { id: tool.id, label: tool.label, internal_label: null, logo_url: tool.logoUrl, icon_url: tool.logoUrl },
      category: i.category,
      status: i.status,
      setup_status: i.setupStatus,
      end_user: endUserOf(i),
      scope_config: { id: 'default', name: 'Default scopes' },
      data_expired_at: i.dataExpiredAt ? i.dataExpiredAt.toISOString() : null,
      created_at: i.createdAt.toISOString(),
      beta: false,
      read_models: readModelCoverage(tool).map((m) => ({
        id: m.id,
        label: m.label,
        is_available: available(m.coverage_status),
        coverage_status: m.coverage_status,
        scope_config_setting: available(m.coverage_status) ? 'ENABLED' : 'DISABLED',
        opted_out_by_customer: false,
        fields: m.fields.map((f) => ({
          id: f.id,
          is_available: available(f.coverage_status),
          coverage_status: f.coverage_status,
          scope_config_setting: available(f.coverage_status) ? 'ENABLED' : 'DISABLED',
          opted_out_by_customer: false,
        })),
      })),
      write_actions: writeActionCoverage(tool).map((a) => ({
        id: a.id,
        label: a.label,
        is_available: available(a.coverage_status),
        coverage_status: a.coverage_status,
        scope_config_setting: available(a.coverage_status) ? 'ENABLED' : 'DISABLED',
        opted_out_by_customer: false,
        fields: a.fields.map((f) => ({ id: f.id, is_available: available(f.coverage_status), coverage_status: f.coverage_status })),
      })),
    };
  }

  /**
   * Removes the integration and, by cascade, its credentials, synced records, field
   * mappings and run history, in one transaction with the `integration-deleted` event.
   */
  async delete(i: IntegrationEntity): Promise<void> {
    await this.sync.cancelActive(i.id, 'integration deleted');
    await this.subscriptions.remove(i.id); // while the credentials to delete it at the HR system still exist
    const deletedAt = new Date();
    await this.ds.transaction(async (em) => {
      await enqueueEvent(em, {
        environmentId: i.environmentId,
        integrationId: i.id,
        type: 'integration-deleted',
        data: { id: i.id, tool: i.tool, category: i.category, end_user: endUserOf(i), deleted_at: deletedAt.toISOString() },
      });
      await em.query(`DELETE FROM integrations WHERE id = $1 AND environment_id = $2`, [i.id, i.environmentId]);
    });
    this.log.info({ integration_id: i.id }, 'integration deleted');
  }

  /**
   * Disabling sets INACTIVE (the scheduler only picks ACTIVE integrations) and
   * cancels a running sync; credentials and data stay. Enabling returns an
   * INACTIVE integration to ACTIVE; an INVALID one stays INVALID until relinked.
   */
  async setEnabled(i: IntegrationEntity, value: boolean): Promise<void> {
    const next = value ? (i.status === 'INACTIVE' ? 'ACTIVE' : i.status) : 'INACTIVE';
    if (next === i.status) return;
    await this.ds.transaction((em) => transition(em, i, { status: next, statusReason: value ? null : 'disabled via API' }));
    if (!value) await this.sync.cancelActive(i.id, 'integration disabled');
    if (value) this.subscriptions.ensureInBackground(i.id);
    else await this.subscriptions.remove(i.id);
    this.log.info({ integration_id: i.id, status: next }, 'integration state changed via API');
  }
}
