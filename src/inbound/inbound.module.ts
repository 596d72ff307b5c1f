import { Module } from '@nestjs/common';
import { SyncModule } from '../sync/sync.module';
import { InboundController } from './inbound.controller';
import { InboundService } from './inbound.service';
import { InboundWorker } from './inbound.worker';
import { InboundSubscriptions } from './subscriptions.service';

/** Change notifications pushed by the HRIS: inbound endpoint, events, re-read runs, subscriptions (docs/webhooks.md). */
@Module({
  imports: [SyncModule],
  controllers: [InboundController],
  providers: [InboundService, InboundWorker, InboundSubscriptions],
  exports: [InboundSubscriptions],
})
export class InboundModule {}
