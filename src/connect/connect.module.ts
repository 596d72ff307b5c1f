import { InboundModule } from '../inbound/inbound.module';
import { Module } from '@nestjs/common';
import { AttemptWindows } from '../common/attempt-windows';
import { IntegrationManagementModule } from '../integrations/management.module';
import { SyncModule } from '../sync/sync.module';
import { ConnectApiController } from './connect-api.controller';
import { ConnectFlowService } from './connect-flow.service';
import { ConnectLinksService } from './connect-links.service';
import { ConnectPageController } from './connect-page.controller';
import { ConnectPagesService } from './connect-pages.service';

/** Connect links, activation tokens and the hosted connect page (Kombo Connect compatible). */
@Module({
  imports: [SyncModule, IntegrationManagementModule, InboundModule],
  controllers: [ConnectApiController, ConnectPageController],
  providers: [ConnectLinksService, ConnectFlowService, ConnectPagesService, AttemptWindows],
  exports: [ConnectLinksService],
})
export class ConnectModule {}
