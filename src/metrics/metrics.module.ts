import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsSamplers } from './samplers';

@Module({ controllers: [MetricsController], providers: [MetricsSamplers] })
export class MetricsModule {}
