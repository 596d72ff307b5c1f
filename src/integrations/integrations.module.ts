import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { IntegrationScopeGuard } from './integration-scope.guard';
import { IntegrationsService } from './integrations.service';
import { CREDENTIAL_VAULT, createVault } from './vault';

@Global()
@Module({
  providers: [
    IntegrationsService,
    { provide: CREDENTIAL_VAULT, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => createVault(config) },
    { provide: APP_GUARD, useClass: IntegrationScopeGuard },
  ],
  exports: [IntegrationsService, CREDENTIAL_VAULT],
})
export class IntegrationsModule {}
