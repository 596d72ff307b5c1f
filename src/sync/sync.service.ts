import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayError, integrationNotFound, notFound } from '../common/errors';
import { ConnectorRegistry } from '../integrations/connector-registry';
import { IntegrationsService } from '../integrations/integrations.service';
import { IntegrationEntity } from '../integrations/integration.entity';
import { flushDataChanged, recordChanges } from '../webhooks/outbox';
import { writeCategories } from '../records/page';
import { documentCategoryRow } from '../records/rows';
import { SYNC_CONFIG, SyncConfig } from './sync.config';
import { SyncRunRow, SyncRunsRepository, SyncTrigger, SyncType } from './sync-runs.repository';
import { SyncWorker } from './sync.worker';

export type { SyncTrigger, SyncType } from './sync-runs.repository';

/** The sync engine's public face: other modules queue, cancel and inspect runs through it. */
@Injectable()
export class SyncService {
  constructor(
    private readonly ds: DataSource,
    private readonly runs: SyncRunsRepository,
    private readonly worker: SyncWorker,
    @Inject(SYNC_CONFIG) private readonly sync: SyncConfig,
    private readonly integrations: IntegrationsService,
    private readonly connectors: ConnectorRegistry,
  ) {}

  /** Lets this process's scheduler look for queued runs now (a run was queued elsewhere in the process). */
  wake(): void {
    this.worker.wake();
  }

  /** Queues a run (or reports the one already queued/running): Kombo's force-sync semantics. */
  async requestSync(
    integrationId: string,
    opts: { type?: SyncType; trigger: SyncTrigger },
  ): Promise<{ already_queued: boolean; sync_id: string; type: SyncType }> {
    const integration = await this.ds.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    if (!integration) throw integrationNotFound(integrationId);
    if (integration.status === 'INACTIVE') throw new GatewayError('INTEGRATION.INACTIVE', 'The integration is inactive; enable it before syncing.');
    const result = await this.ds.transaction(async (em) => {
      await this.runs.schedules.ensure({ deltaMinutes: this.sync.deltaIntervalMinutes, fullMinutes: this.sync.fullIntervalMinutes }, integrationId, em);
      const schedule = await this.runs.schedules.get(integrationId, em);
      // A delta needs a previous successful read to be relative to; Kombo likewise answers with the type it will run.
      const type: SyncType = opts.type === 'DELTA' && schedule?.delta_watermark ? 'DELTA' : 'FULL';
      return this.runs.enqueue(integrationId, { type, trigger: opts.trigger }, em);
    });
    if (!result.already) this.worker.wake();
    return { already_queued: result.already, sync_id: result.run.id, type: result.run.type };
  }

  /** Cancels a queued/running run (disable, delete); the runner stops at the next page boundary and the run ends CANCELLED. */
  async cancelActive(integrationId: string, reason: string): Promise<void> {
    const { running } = await this.runs.requestCancel(integrationId, reason);
    // Another process sees the request at its next heartbeat or page.
    if (running) this.worker.stopLocal(running.id, 'cancel');
  }

  /**
   * After the filters changed (the full sync is due in sync_schedules and, unless a run
   * was active, queued in the same transaction): a run still reading with the old
   * filters, or a queued delta, is cancelled; the scheduler queues the full as soon as
   * it has stopped. `queuedRunId`: the full run the change queued, never cancelled (a
   * worker woken by that commit may already be running it).
   */
  async resyncForNewFilters(integrationId: string, queuedRunId?: string): Promise<void> {
    const active = await this.runs.findActive(integrationId);
    if (active && active.id !== queuedRunId && !(active.status === 'QUEUED' && active.type === 'FULL')) {
      await this.cancelActive(integrationId, "The integration's filters changed; a full sync with the new filters follows.");
    }
    this.worker.wake();
  }

  /** Reads the connector's document categories now and upserts hris_document_categories (used when an unknown category id is posted). */
  async refreshDocumentCategories(integrationId: string): Promise<void> {
    const integration = await this.ds.getRepository(IntegrationEntity).findOneBy({ id: integrationId });
    if (!integration) throw integrationNotFound(integrationId);
    const connector = this.connectors.get(integration.tool);
    const ctx = this.integrations.contextFor(integration);
    const rows = (await connector.documentCategories(ctx)).map((c) => documentCategoryRow(integration.id, c));
    const ref = { id: integration.id, environmentId: integration.environmentId };
    await this.ds.transaction(async (em) => {
      const set = await writeCategories(em, integration.id, rows, new Date());
      await recordChanges(em, ref, set.changes);
      await flushDataChanged(em, ref);
    });
  }

  async getRun(integrationId: string, syncId: string): Promise<SyncRunRow> {
    const run = await this.runs.get(integrationId, syncId);
    if (!run) throw notFound(`No sync with the ID "${syncId}" exists for this integration.`);
    return run;
  }

  listRuns(integrationId: string, after: { queuedAt: string; id: string } | null, limit: number): Promise<Array<SyncRunRow & { queued_key: string }>> {
    return this.runs.list(integrationId, after, limit);
  }
}
