import { Module } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { SYNC_CONFIG } from './sync.config';
import { SyncController } from './sync.controller';
import { SyncRunsRepository } from './sync-runs.repository';
import { SyncService } from './sync.service';
import { SyncWorker } from './sync.worker';
import { DataSource } from 'typeorm';

/** Full and delta syncs into the unified tables: scheduler, runner, run history (docs/sync.md). */
@Module({
  controllers: [SyncController],
  providers: [
    { provide: SYNC_CONFIG, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => config.sync },
    { provide: SyncRunsRepository, inject: [DataSource], useFactory: (ds: DataSource) => new SyncRunsRepository(ds) },
    SyncWorker,
    SyncService,
  ],
  exports: [SyncService, SyncRunsRepository, SYNC_CONFIG],
})
export class SyncModule {}
