import { Module } from '@nestjs/common';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryWorker } from './delivery.worker';
import { EndpointsService } from './endpoints.service';
import { WebhooksController } from './webhooks.controller';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/config';
import { WEBHOOK_CONFIG } from './webhooks.config';

@Module({
  controllers: [WebhooksController],
  providers: [
    { provide: WEBHOOK_CONFIG, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => config.webhooks },
    EndpointsService,
    DeliveryLogService,
    DeliveryWorker,
  ],
  exports: [DeliveryWorker, DeliveryLogService, WEBHOOK_CONFIG],
})
export class WebhooksModule {}
