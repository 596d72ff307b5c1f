import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AttemptWindows } from '../common/attempt-windows';
import { ConnectModule } from '../connect/connect.module';
import { IntegrationManagementModule } from '../integrations/management.module';
import { SyncModule } from '../sync/sync.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DashboardActionsController } from './dashboard-actions.controller';
import { DashboardAuthController } from './dashboard-auth.controller';
import { DashboardGate } from './dashboard-gate';
import { DashboardPagesController } from './dashboard-pages.controller';
import { DashboardSettingsController } from './dashboard-settings.controller';
import { DashboardQueries } from './dashboard.queries';
import { DashboardSessions } from './sessions';
import { DashboardSignIn } from './sign-in';

/**
 * The operator dashboard at /dashboard: server-rendered pages over the services of the
 * integrations, sync, webhooks and connect modules. It owns only its sessions table and
 * the read-only overview query (sign-in attempts are counted in attempt_windows).
 */
@Module({
  imports: [AuthModule, SyncModule, IntegrationManagementModule, ConnectModule, WebhooksModule],
  controllers: [DashboardAuthController, DashboardPagesController, DashboardActionsController, DashboardSettingsController],
  providers: [DashboardSessions, DashboardSignIn, DashboardGate, DashboardQueries, AttemptWindows],
})
export class DashboardModule {}
