import { Module } from '@nestjs/common';
import { InboundModule } from '../inbound/inbound.module';
import { SyncModule } from '../sync/sync.module';
import { IntegrationsController } from './integrations.controller';
import { IntegrationManagementService } from './management.service';
import { IntegrationSettingsService } from './management.settings.service';

/** Integration management over the API (details, delete, enable). IntegrationsModule stays the global core. */
@Module({
  imports: [SyncModule, InboundModule],
  controllers: [IntegrationsController],
  providers: [IntegrationManagementService, IntegrationSettingsService],
  exports: [IntegrationManagementService, IntegrationSettingsService],
})
export class IntegrationManagementModule {}
