import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { IntegrationScopeGuard } from './integration-scope.guard';
import { IntegrationsService } from './integrations.service';
import { CREDENTIAL_VAULT, createVault, CredentialVault } from './vault';
import { PAGE_CURSORS, PageCursors } from '../common/cursor';

@Global()
@Module({
  imports: [AuthModule],
  providers: [
    IntegrationsService,
    { provide: CREDENTIAL_VAULT, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => createVault(config) },
    { provide: PAGE_CURSORS, inject: [CREDENTIAL_VAULT], useFactory: (vault: CredentialVault) => new PageCursors(vault.deriveKey('page-cursors')) },
    { provide: APP_GUARD, useClass: IntegrationScopeGuard },
  ],
  exports: [IntegrationsService, CREDENTIAL_VAULT, PAGE_CURSORS],
})
export class IntegrationsModule {}
