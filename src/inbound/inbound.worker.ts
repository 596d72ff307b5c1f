// Turns recorded events into sync runs: every poll (and at once after a delivery in
// this process) each integration with pending events gets a WEBHOOK run queued,
// unless a run is queued or running already (the one-run-per-integration index
// decides races between processes; events wait for the next run). The runner takes
// all pending events of its integration at its start, so a burst is one read.
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getLogger } from '../common/logger';
import { PollingLoop } from '../common/polling-loop';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { SyncRunsRepository } from '../sync/sync-runs.repository';
import { SyncService } from '../sync/sync.service';
import { integrationsWithPendingEvents, releaseOrphanedEvents } from './inbound-events.repository';

@Injectable()
export class InboundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = getLogger('inbound-worker');
  private readonly loop: PollingLoop;

  constructor(
    private readonly ds: DataSource,
    private readonly runs: SyncRunsRepository,
    private readonly sync: SyncService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.loop = new PollingLoop({ name: 'inbound events tick', intervalMs: config.inbound.pollMs, log: this.log, tick: () => this.tick() });
  }

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.loop.start(this.config.inbound.pollMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Runs a tick now, coalesced with one in progress. */
  wake(): void {
    this.loop.wake();
  }

  async tick(): Promise<void> {
    await releaseOrphanedEvents(this.ds);
    let queued = 0;
    for (const integrationId of await integrationsWithPendingEvents(this.ds, 100)) {
      const { already } = await this.runs.enqueue(integrationId, { type: 'DELTA', trigger: 'WEBHOOK' });
      if (!already) queued++;
    }
    if (queued > 0) this.sync.wake();
  }
}
