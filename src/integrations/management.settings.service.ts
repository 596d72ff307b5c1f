import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PAGE_CURSORS, PageCursors } from '../common/cursor';
import { getLogger } from '../common/logger';
import { SYNC_CONFIG, SyncConfig } from '../sync/sync.config';
import { SyncRunsRepository } from '../sync/sync-runs.repository';
import { SyncService } from '../sync/sync.service';
import { IntegrationEntity } from './integration.entity';
import { listIntegrations, ListIntegrationsQuery } from './management.list';
import { IntegrationManagementService } from './management.service';
import { AppliedSettings, IntegrationSettingsStore, SettingsActor, SettingsPatch } from './management.settings';

/** Settings and filters for the API, the dashboard and the connect page; a filter change starts the full sync at once. */
@Injectable()
export class IntegrationSettingsService {
  private readonly log = getLogger('integrations');
  readonly store: IntegrationSettingsStore;

  constructor(
    private readonly ds: DataSource,
    private readonly sync: SyncService,
    private readonly management: IntegrationManagementService,
    runs: SyncRunsRepository,
    @Inject(SYNC_CONFIG) private readonly config: SyncConfig,
    @Inject(PAGE_CURSORS) private readonly cursors: PageCursors,
  ) {
    this.store = new IntegrationSettingsStore(ds, runs, this.defaults);
  }

  get defaults() {
    return { deltaMinutes: this.config.deltaIntervalMinutes, fullMinutes: this.config.fullIntervalMinutes };
  }

  view(i: IntegrationEntity) {
    return this.store.view(i);
  }

  /** `integrationId` already resolved in the caller's scope; apply() reads the row itself, locked. */
  async change(integrationId: string, patch: SettingsPatch, actor: SettingsActor): Promise<{ changed: string[] }> {
    const applied = await this.store.apply(integrationId, patch, actor);
    await this.settled(integrationId, actor, applied);
    return { changed: applied.changed };
  }

  /** A change recorded in the caller's transaction (a relink: credentials and filter choice commit together); call `settled` after commit. */
  applyWithin(em: EntityManager, integrationId: string, patch: SettingsPatch, actor: SettingsActor): Promise<AppliedSettings> {
    return this.store.apply(integrationId, patch, actor, em);
  }

  /** After the change committed: runs still reading with the old filters stop for the full sync it queued. */
  async settled(integrationId: string, actor: SettingsActor, { changed, filtersChanged, queuedRunId }: AppliedSettings): Promise<void> {
    if (changed.length) this.log.info({ integration_id: integrationId, changed, actor_type: actor.type, actor_id: actor.id }, 'integration settings changed');
    if (filtersChanged) await this.sync.resyncForNewFilters(integrationId, queuedRunId);
  }

  /** The audit list of an integration's settings changes, newest first. */
  changes(integrationId: string, cursor: string | undefined, limit: number) {
    return this.store.changes(this.cursors, integrationId, cursor, limit);
  }

  list(environmentId: string, q: ListIntegrationsQuery) {
    return listIntegrations(this.ds, this.cursors, this.management, this.defaults, environmentId, q);
  }
}
