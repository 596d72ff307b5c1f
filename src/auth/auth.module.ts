import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AttemptWindows } from '../common/attempt-windows';
import { AccessCache } from './access-cache';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { CheckApiKeyController } from './check-api-key.controller';

@Module({
  controllers: [CheckApiKeyController],
  providers: [AccessCache, ApiKeysService, AttemptWindows, ApiKeyAuthenticator, { provide: APP_GUARD, useClass: ApiKeyGuard }],
  exports: [AccessCache, ApiKeysService, ApiKeyAuthenticator],
})
export class AuthModule {}
