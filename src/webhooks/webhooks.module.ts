import { Module } from '@nestjs/common';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryWorker } from './delivery.worker';
import { EndpointsService } from './endpoints.service';
import { WebhooksController } from './webhooks.controller';
import { loadWebhookConfig, WEBHOOK_CONFIG } from './webhooks.config';

@Module({
  controllers: [WebhooksController],
  providers: [{ provide: WEBHOOK_CONFIG, useFactory: () => loadWebhookConfig() }, EndpointsService, DeliveryLogService, DeliveryWorker],
  exports: [DeliveryWorker, DeliveryLogService, WEBHOOK_CONFIG],
})
export class WebhooksModule {}
