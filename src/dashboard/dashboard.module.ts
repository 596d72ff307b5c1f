import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ConnectModule } from '../connect/connect.module';
import { IntegrationManagementModule } from '../integrations/management.module';
import { SyncModule } from '../sync/sync.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DashboardActionsController } from './dashboard-actions.controller';
import { DashboardAuthController } from './dashboard-auth.controller';
import { DashboardGate } from './dashboard-gate';
import { DashboardPagesController } from './dashboard-pages.controller';
import { DashboardQueries } from './dashboard.queries';
import { DashboardSessions } from './sessions';

/**
 * The operator dashboard at /dashboard: server-rendered pages over the services of the
 * integrations, sync, webhooks and connect modules. It owns only its sessions table and
 * the read-only overview query.
 */
@Module({
  imports: [AuthModule, SyncModule, IntegrationManagementModule, ConnectModule, WebhooksModule],
  controllers: [DashboardAuthController, DashboardPagesController, DashboardActionsController],
  providers: [DashboardSessions, DashboardGate, DashboardQueries],
})
export class DashboardModule {}
