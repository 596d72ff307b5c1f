// Turns recorded events into sync runs: every poll (and at once after a delivery in
// this process) each integration with pending events gets a WEBHOOK run queued,
// unless a run is queued or running already (the one-run-per-integration index
// decides races between processes; events wait for the next run). The runner takes
// all pending events of its integration at its start, so a burst is one read.
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { getLogger } from '../common/logger';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { SyncRunsRepository } from '../sync/sync-runs.repository';
import { SyncService } from '../sync/sync.service';
import { integrationsWithPendingEvents, releaseOrphanedEvents } from './inbound-events.repository';

const TICK = 'inbound-events-tick';

@Injectable()
export class InboundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = getLogger('inbound-worker');
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly runs: SyncRunsRepository,
    private readonly sync: SyncService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'api') return;
    this.scheduler.addInterval(TICK, setInterval(() => this.wake(), this.config.inbound.pollMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', TICK)) this.scheduler.deleteInterval(TICK);
    await this.ticking;
  }

  /** Runs a tick now, coalesced with one in progress. */
  wake(): void {
    if (this.stopped || this.config.role === 'api') return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((e) => this.log.error({ err: e }, 'inbound events tick failed'))
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
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
